import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { PROJECT_ROOT } from '../sdk/reference-data';

/** Every module specifier imported or required by a TypeScript file. */
export function importsOf(file: string): string[] {
  const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
    if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      if ((ts.isIdentifier(node.expression) && node.expression.text === 'require') || node.expression.kind === ts.SyntaxKind.ImportKeyword) out.push(node.arguments[0].text);
    }
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      out.push(node.moduleReference.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  return out;
}

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : tsFiles(p);
    return /\.(ts|js)$/.test(e.name) ? [p] : [];
  });
}

/**
 * Where a module may import from. Plugins reach other modules only through sdk/ and
 * interfaces/ (service tokens and topics), never kernel/ nor another plugin; interfaces/
 * holds contracts only; sdk/astro and sdk/ccsds are pure (no kernel, no I/O modules).
 */
export function layeringViolations(root = PROJECT_ROOT): string[] {
  const problems: string[] = [];
  const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
  const check = (file: string, allowed: (target: string) => boolean, rule: string) => {
    for (const spec of importsOf(file)) {
      if (!spec.startsWith('.')) continue; // npm package or node builtin (checked below for pure layers)
      const target = rel(path.resolve(path.dirname(file), spec));
      if (!allowed(target)) problems.push(`${rel(file)} imports '${spec}' (${target}): ${rule}`);
    }
  };
  const pluginsDir = path.join(root, 'plugins');
  for (const file of tsFiles(pluginsDir)) {
    const own = rel(file).split('/').slice(0, 2).join('/');
    check(file, (t) => t.startsWith(own + '/') || t === own || t.startsWith('sdk') || t.startsWith('interfaces'), 'a plugin imports only sdk/, interfaces/, npm packages and its own files');
  }
  for (const file of tsFiles(path.join(root, 'interfaces'))) {
    check(file, (t) => t.startsWith('interfaces') || t.startsWith('sdk/topic') || t.startsWith('sdk/service') || t.startsWith('sdk/kernel-topics') || t === 'sdk', 'interfaces/ holds contracts only (imports sdk topic/service helpers at most)');
  }
  for (const pure of ['sdk/astro', 'sdk/ccsds', 'sdk/tle.ts']) {
    const at = path.join(root, pure);
    const files = pure.endsWith('.ts') ? (fs.existsSync(at) ? [at] : []) : tsFiles(at);
    for (const file of files) {
      if (rel(file).includes('/test/') || rel(file).endsWith('/cli.ts')) continue;
      check(file, (t) => t.startsWith(pure.replace(/\.ts$/, '')) || t.startsWith('sdk/astro') || t.startsWith('sdk/errors') || t.startsWith('interfaces'), `${pure} is pure: no kernel, no plugins`);
      for (const spec of importsOf(file)) {
        if (/^(node:)?(fs|child_process|net|http|https|worker_threads|fs\/promises)$/.test(spec)) problems.push(`${rel(file)} imports '${spec}': ${pure} performs no I/O`);
      }
    }
  }
  return problems;
}

describe('layering', () => {
  it('plugins import only sdk/, interfaces/ and npm packages; pure layers stay pure', () => {
    expect(layeringViolations()).to.deep.equal([]);
  });

  it('detects a plugin importing the kernel or another plugin', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scoop-layer-'));
    fs.mkdirSync(path.join(root, 'plugins', 'a'), { recursive: true });
    fs.mkdirSync(path.join(root, 'plugins', 'b'), { recursive: true });
    fs.writeFileSync(path.join(root, 'plugins', 'a', 'plugin.ts'), "import { Kernel } from '../../kernel/kernel';\nimport x from '../b/plugin';\nimport { z } from 'zod';\nimport { y } from './own';\nimport { t } from '../../interfaces';\n");
    fs.writeFileSync(path.join(root, 'plugins', 'b', 'plugin.ts'), "const k = require('../../kernel/bus/bus');\n");
    const v = layeringViolations(root);
    expect(v).to.have.length(3);
    expect(v[0]).to.match(/^plugins\/a\/plugin\.ts imports '..\/..\/kernel\/kernel'/);
    expect(v[1]).to.match(/^plugins\/a\/plugin\.ts imports '..\/b\/plugin'/);
    expect(v[2]).to.match(/^plugins\/b\/plugin\.ts imports '..\/..\/kernel\/bus\/bus'/);
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';

export interface DiscoveredPlugin {
  /** Folder name; the plugin's name must match it. */
  folder: string;
  dir: string;
  entry: string;
}

export const ENTRY_FILES = ['plugin.ts', 'plugin.js'];

/** Finds plugin folders (a folder holding plugin.ts or plugin.js) in each directory, in order. */
export function discoverPlugins(dirs: string[]): { found: DiscoveredPlugin[]; duplicates: string[] } {
  const found: DiscoveredPlugin[] = [];
  const seen = new Map<string, string>();
  const duplicates: string[] = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const p = discoverOne(path.join(dir, name));
      if (!p) continue;
      if (seen.has(p.folder)) {
        duplicates.push(`plugin folder '${p.folder}' in ${dir} is shadowed by ${seen.get(p.folder)}`);
        continue;
      }
      seen.set(p.folder, p.dir);
      found.push(p);
    }
  }
  return { found, duplicates };
}

export function discoverOne(dir: string): DiscoveredPlugin | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch {
    return undefined;
  }
  if (!st.isDirectory() || path.basename(dir).startsWith('.')) return undefined;
  for (const f of ENTRY_FILES) {
    const entry = path.join(dir, f);
    if (fs.existsSync(entry)) return { folder: path.basename(dir), dir, entry };
  }
  return undefined;
}

import type { PluginDefinition } from '../../sdk/plugin';

export interface GraphResult {
  /** Start order in levels: plugins in one level do not depend on each other. */
  levels: string[][];
  /** plugin -> plugins it depends on (providers of its required services). */
  deps: Map<string, Set<string>>;
  /** plugin -> reason it cannot start (cycle, missing service, ambiguous provider). */
  invalid: Map<string, string>;
}

/**
 * Builds the dependency graph from the services each plugin provides and requires.
 * A required service nobody provides fails the plugin (optional ones are skipped);
 * a cycle fails each of its members with a message naming the whole cycle.
 */
export function buildGraph(
  defs: Map<string, PluginDefinition>,
  providersChoice: Record<string, string> = {},
  /** Services provided outside this kernel (other nodes of a distributed deployment). */
  external: Set<string> = new Set(),
): GraphResult {
  const invalid = new Map<string, string>();
  const providers = new Map<string, string[]>();
  for (const [name, def] of defs) {
    for (const t of def.provides) providers.set(t.name, [...(providers.get(t.name) ?? []), name]);
  }
  const deps = new Map<string, Set<string>>();
  for (const [name, def] of defs) {
    const set = new Set<string>();
    for (const req of def.requires) {
      const list = providers.get(req.token.name) ?? [];
      let chosen: string | undefined;
      if (list.length === 1) chosen = list[0];
      else if (list.length > 1) {
        chosen = providersChoice[req.token.name];
        if (!chosen || !list.includes(chosen)) {
          invalid.set(
            name,
            `service '${req.token.name}' is provided by ${list.map((p) => `'${p}'`).join(' and ')}; choose one in kernel.providers`,
          );
          continue;
        }
      }
      if (!chosen) {
        if (!req.optional && !external.has(req.token.name)) invalid.set(name, `required service '${req.token.name}' is not provided by any enabled plugin`);
        continue;
      }
      if (chosen !== name) set.add(chosen);
    }
    deps.set(name, set);
  }
  // Cycles (Tarjan's strongly connected components).
  for (const cycle of findCycles(deps)) {
    const text = [...cycle, cycle[0]].join(' -> ');
    for (const member of cycle) invalid.set(member, `dependency cycle: ${text}`);
  }
  // Levels (Kahn), over the plugins not already invalid.
  const remaining = new Set([...defs.keys()].filter((n) => !invalid.has(n)));
  const levels: string[][] = [];
  const placed = new Set<string>();
  while (remaining.size) {
    const level = [...remaining].filter((n) => [...(deps.get(n) ?? [])].every((d) => placed.has(d) || invalid.has(d) || !defs.has(d)));
    if (level.length === 0) break;
    level.sort();
    levels.push(level);
    for (const n of level) {
      remaining.delete(n);
      placed.add(n);
    }
  }
  return { levels, deps, invalid };
}

function findCycles(deps: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of deps.get(v) ?? []) {
      if (!deps.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(orderCycle(comp, deps));
    }
  };
  for (const v of [...deps.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/** Orders a strongly connected component as a readable path a -> b -> c (-> a). */
function orderCycle(comp: string[], deps: Map<string, Set<string>>): string[] {
  const members = new Set(comp);
  const start = [...comp].sort()[0];
  const pathOut = [start];
  const seen = new Set([start]);
  let cur = start;
  while (true) {
    const next = [...(deps.get(cur) ?? [])].filter((d) => members.has(d) && !seen.has(d)).sort()[0];
    if (!next) break;
    pathOut.push(next);
    seen.add(next);
    cur = next;
  }
  for (const m of [...comp].sort()) if (!seen.has(m)) pathOut.push(m);
  return pathOut;
}

/** All plugins that (transitively) depend on `name`. */
export function dependentsOf(name: string, deps: Map<string, Set<string>>): string[] {
  const out = new Set<string>();
  const walk = (n: string) => {
    for (const [p, ds] of deps) if (ds.has(n) && !out.has(p)) {
      out.add(p);
      walk(p);
    }
  };
  walk(name);
  return [...out];
}

// The layout rules of lib/ (README "Where things are"), checked on the source: no import circle
// (type-only imports count: a circle of types is still a circle to a reader), at most five files
// at the top, validation free of I/O, and backends that never call back into a verb.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const LIB = fileURLToPath(new URL('../../lib/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** lib-relative path -> lib-relative paths it imports (static, dynamic and type-only). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(LIB)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/gu)].map((m) => relative(LIB, resolve(dirname(file), m[1] as string)).replace(/\.js$/u, '.ts'));
    graph.set(relative(LIB, file), targets);
  }
  return graph;
}

function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

const graph = importGraph();
const importsOf = (prefix: string) => [...graph].filter(([file]) => file.startsWith(prefix)).flatMap(([file, targets]) => targets.map((target) => `${file} -> ${target}`));

describe('lib/ layout', () => {
  it('has no import circle', () => {
    expect(findCycle(graph)).toBeUndefined();
  });

  it('keeps at most five files at the top and no lib/spec', () => {
    const top = readdirSync(LIB).filter((entry) => entry.endsWith('.ts'));
    expect(top.length).toBeLessThanOrEqual(5);
    expect(readdirSync(LIB)).not.toContain('spec');
  });

  it('validates without I/O: lib/validate imports only the errors and the option table', () => {
    const allowed = /-> (errors|option-table|validate\/[\w-]+)\.ts$/u;
    expect(importsOf('validate/').filter((edge) => !allowed.test(edge))).toEqual([]);
  });

  it('backends never import a verb: lib/netlink and lib/sysfs use lib/bond only for its plans, checks and types', () => {
    const verbs = /-> bond\/(create|delete|enslave|active-slave|set-options|slave-options|read|client|backend-of)\.ts$/u;
    expect([...importsOf('netlink/'), ...importsOf('sysfs/')].filter((edge) => verbs.test(edge))).toEqual([]);
  });

  it('keeps the lab off the main entry: index.ts never reaches lib/lab (it has netbond/lab)', () => {
    const reached = new Set<string>();
    const walk = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const next of graph.get(file) ?? []) walk(next);
    };
    walk('index.ts');
    expect([...reached].filter((file) => file.startsWith('lab/'))).toEqual([]);
  });
});

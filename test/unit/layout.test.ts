// The layout rules of lib/ (README "Where things are"), checked on the source: no import circle
// between files nor between folders (type-only imports count: a circle of types is still a circle
// to a reader), every folder in one layer and imports only downward or sideways, at most five
// files at the top, validation free of I/O.
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

/**
 * The layers of lib/, bottom first: a file imports only from its own layer or one below. A top-level
 * file counts as the folder of its name. README "Where things are" draws the same picture.
 */
const LAYERS: readonly (readonly string[])[] = [
  // The rules: what an option, a name or a value may be. No I/O.
  ['errors', 'option-table', 'package-root', 'validate'],
  // Kernel access: the addon, the call runner, the rtnetlink transport, the file runner. No bond policy.
  ['native', 'call', 'netlink', 'sysfs', 'netns'],
  // The bond domain: the state model, the plan model (spec to steps, verify), driver features, /proc,
  // links, the two backends.
  ['bond', 'features', 'proc', 'link', 'backends', 'plan'],
  // Front-ends: the verbs, declarative apply with its transactions, watch, probes, formats, lab, CLI.
  ['verbs', 'declarative', 'watch', 'probe', 'formats', 'lab', 'cli', 'index'],
];

/** The folder (or top-level file, without .ts) a lib-relative path belongs to. */
const folderOf = (path: string) => (path.split('/')[0] as string).replace(/\.ts$/u, '');
const layerOf = (folder: string) => LAYERS.findIndex((layer) => layer.includes(folder));

function folderGraph(graph: Map<string, string[]>): Map<string, string[]> {
  const folders = new Map<string, string[]>();
  for (const [file, targets] of graph) {
    const from = folderOf(file);
    const list = folders.get(from) ?? [];
    for (const to of targets.map(folderOf)) if (to !== from && !list.includes(to)) list.push(to);
    folders.set(from, list);
  }
  return folders;
}

const graph = importGraph();
const importsOf = (prefix: string) => [...graph].filter(([file]) => file.startsWith(prefix)).flatMap(([file, targets]) => targets.map((target) => `${file} -> ${target}`));

describe('lib/ layout', () => {
  it('has no import circle', () => {
    expect(findCycle(graph)).toBeUndefined();
  });

  it('has no import circle between folders', () => {
    expect(findCycle(folderGraph(graph))).toBeUndefined();
  });

  it('puts every folder in a layer', () => {
    expect([...folderGraph(graph).keys()].filter((folder) => layerOf(folder) < 0)).toEqual([]);
  });

  it('imports only downward or sideways: kernel access knows no bond policy, the domain no front-end', () => {
    const upward = [...graph].flatMap(([file, targets]) => targets.filter((target) => layerOf(folderOf(target)) > layerOf(folderOf(file))).map((target) => `${file} -> ${target}`));
    expect(upward).toEqual([]);
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

  it('leaves bond policy out of kernel access: lib/netlink and lib/sysfs import no bond/ nor backends/ file', () => {
    expect([...importsOf('netlink/'), ...importsOf('sysfs/')].filter((edge) => /-> (bond|backends)\//u.test(edge))).toEqual([]);
  });

  it('keeps the formats apart: lib/formats/shared imports no format folder, no format folder another', () => {
    // formats/<folder>/... -> <folder>; formats/index.ts and registry.ts, which import every format,
    // -> undefined; a file outside lib/formats -> 'outside'.
    const formatFolder = (path: string) => {
      const parts = path.split('/');
      if (parts[0] !== 'formats') return 'outside';
      return parts.length > 2 ? parts[1] : undefined;
    };
    const crossing = importsOf('formats/').filter((edge) => {
      const [from, to] = edge.split(' -> ').map(formatFolder);
      return from !== undefined && to !== 'outside' && to !== from && to !== 'shared';
    });
    expect(crossing).toEqual([]);
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

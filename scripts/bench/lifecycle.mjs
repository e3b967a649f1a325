#!/usr/bin/env node
// The benchmark's lifecycle cycle through netbond: create a bond (active-backup, miimon 100),
// enslave 2 veths, read it, release them, delete it = 7 kernel operations. Imported by
// bench-inside.mjs for a client in a named namespace; run as a script (under `ip netns exec`) for
// module-level calls in the caller's own namespace, printing { seconds, cycles } as JSON.
import { createBond, createClient, deleteBond, enslave, getBond, release } from '../../dist/index.js';

/** The module-level functions with `opts` added to each call ({} = the caller's namespace). */
const moduleApi = (opts) => ({
  createBond: (name, o) => createBond(name, { ...o, ...opts }),
  enslave: (bond, slaves) => enslave(bond, slaves, opts),
  getBond: (name) => getBond(name, opts),
  release: (bond, slaves) => release(bond, slaves, opts),
  deleteBond: (name) => deleteBond(name, opts),
  close: () => {},
});

/** The API a variant runs on: 'module' (caller's namespace), 'module-netns' or 'client' (ns). */
export function apiFor(variant, ns) {
  if (variant === 'client') return createClient({ netns: ns });
  return moduleApi(variant === 'module-netns' ? { netns: ns } : {});
}

/** `cycles` sequential cycles on bond `bond` with `slaves`, 5 calls each ('calls') or 3 ('slaves'). */
export async function cycles(api, count, { bond = 'nb0', slaves = ['va0', 'va1'], shape = 'calls' } = {}) {
  for (let i = 0; i < count; i++) {
    if (shape === 'slaves') {
      await api.createBond(bond, { mode: 'active-backup', miimon: 100, slaves });
    } else {
      await api.createBond(bond, { mode: 'active-backup', miimon: 100 });
      await api.enslave(bond, slaves);
      await api.getBond(bond);
    }
    await api.release(bond, slaves);
    await api.deleteBond(bond);
  }
}

/** `parallel` workers each running cycles on their own bond and veths (va2w, va2w+1). */
export function concurrentCycles(api, parallel, perWorker) {
  return Promise.all(
    Array.from({ length: parallel }, (_, w) => cycles(api, perWorker, { bond: `nb${w}`, slaves: [`va${2 * w}`, `va${2 * w + 1}`] })),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // lifecycle.mjs COUNT [PARALLEL]: in the namespace this process runs in.
  const count = Number(process.argv[2]);
  const parallel = Number(process.argv[3] ?? 1);
  const api = apiFor('module');
  const start = process.hrtime.bigint();
  if (parallel > 1) await concurrentCycles(api, parallel, Math.ceil(count / parallel));
  else await cycles(api, count);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ seconds, cycles: parallel > 1 ? Math.ceil(count / parallel) * parallel : count }));
}

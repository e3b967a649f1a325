// A real-looking trunk host's config (bond0 over eth1 and eth2, the host's addresses and default
// route on VLANs 100 and 200) in each format: imported with `netbond import`, applied with
// `netbond apply`, and exported again from the live bond with `netbond export`, which imports
// back to the same spec. The host's NICs are cabled to a "switch" namespace whose bridge carries
// the same VLANs with the gateways. Oracles: `ip -d -j link show`, `ip -j addr`, `ip -j route`,
// /proc/net/bonding and ping through each VLAN and through the default route.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importConfigs, planBond, type ConfigFile } from '../../lib/index.js';
import { main } from '../../lib/cli/main.js';
import { HOST_FORMATS, HOST_SPEC } from '../fixtures/configs/vlans/host.js';
import { switchedHost, type Switched } from './helpers/switched.js';
import { waitFor } from './helpers/wait.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/configs/vlans/', import.meta.url));

let net: Switched;
let dir: string;

beforeEach(async () => {
  net = await switchedHost(['eth1', 'eth2'], []);
  await net.sw.ip(['link', 'set', 'br0', 'mtu', '9000']);
  for (const id of [100, 200]) {
    await net.sw.ip(['link', 'add', 'link', 'br0', 'name', `br0.${id}`, 'type', 'vlan', 'id', String(id)]);
    await net.sw.ip(['addr', 'add', `10.1.${id}.1/24`, 'dev', `br0.${id}`]);
    await net.sw.ip(['addr', 'add', `2001:db8:${id}::1/64`, 'dev', `br0.${id}`, 'nodad']);
    await net.sw.setUp(`br0.${id}`);
  }
  // Outside both VLANs: reachable only through the default route.
  await net.sw.ip(['addr', 'add', '192.0.2.1/32', 'dev', 'br0.100']);
  dir = await mkdtemp(join(tmpdir(), 'netbond-vlan-configs-'));
});

afterEach(async () => {
  await net.destroy();
  await rm(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--netns', net.host.ns, ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

interface IpLink {
  ifname: string;
  link?: string;
  mtu: number;
  flags: string[];
  linkinfo?: { info_kind?: string; info_data?: { protocol?: string; id?: number } };
}

describe.each(HOST_FORMATS)('a trunk host in %s', (format) => {
  it('imports, applies, passes traffic on both VLANs and the default route, and exports back to the same spec', { timeout: 60_000 }, async () => {
    const names = (await readdir(join(FIXTURES, format))).sort();
    const paths = names.map((name) => join(FIXTURES, format, name));
    const imported = await cli('--json', 'import', 'auto', ...paths);
    expect(imported).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(imported.out)).toEqual(HOST_SPEC);

    const specFile = join(dir, 'host.json');
    await writeFile(specFile, imported.out);
    const applied = await cli('apply', specFile);
    expect(applied.err).toBe('');
    expect(applied.code).toBe(0);

    const links = JSON.parse(await net.host.ip(['-d', '-j', 'link', 'show'])) as IpLink[];
    const vlans = links.filter((l) => l.linkinfo?.info_kind === 'vlan').map((l) => [l.ifname, l.link, l.linkinfo?.info_data?.id, l.linkinfo?.info_data?.protocol, l.mtu, l.flags.includes('UP')]);
    expect(vlans).toEqual([
      ['bond0.100', 'bond0', 100, '802.1Q', 1500, true],
      ['bond0.200', 'bond0', 200, '802.1Q', 9000, true],
    ]);
    expect(links.find((l) => l.ifname === 'bond0')?.mtu).toBe(9000);
    expect(await net.host.procBonding('bond0')).toContain('Bonding Mode: IEEE 802.3ad Dynamic link aggregation');
    const addrs = JSON.parse(await net.host.ip(['-j', 'addr', 'show'])) as { ifname: string; addr_info: { local: string; prefixlen: number; scope: string }[] }[];
    const global = (dev: string) => (addrs.find((a) => a.ifname === dev)?.addr_info ?? []).filter((a) => a.scope === 'global').map((a) => `${a.local}/${a.prefixlen}`);
    expect(global('bond0')).toEqual([]);
    expect(global('bond0.100')).toEqual(['10.1.100.10/24']);
    expect(global('bond0.200').sort()).toEqual(['10.1.200.10/24', '2001:db8:200::10/64']);
    expect(JSON.parse(await net.host.ip(['-j', 'route', 'show', 'default']))).toMatchObject([{ gateway: '10.1.100.1', dev: 'bond0.100' }]);
    for (const target of ['10.1.100.1', '10.1.200.1', '2001:db8:200::1', '192.0.2.1']) {
      const answered = await waitFor(() => net.host.exec('ping', ['-n', '-c', '1', '-W', '1', target]).then(() => true, () => false), (ok) => ok, 15_000, 200);
      expect(answered, `ping ${target}`).toBe(true);
    }
    expect((await planBond(HOST_SPEC, { netns: net.host.ns })).steps).toEqual([]);

    const exported = await cli('--json', 'export', format, 'bond0');
    expect(exported).toMatchObject({ code: 0, err: '' });
    const files = JSON.parse(exported.out) as ConfigFile[];
    expect(files.some((f) => f.text.includes('bond0.100'))).toBe(true);
    expect(importConfigs(files)).toEqual({ specs: [HOST_SPEC], warnings: [] });
  });
});

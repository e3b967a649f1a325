// Probes as the API and the CLI take them (one rule for both), the default route the gateway
// probe uses, and the spec files of `netbond apply` (one BondSpec or `bonds: [...]`).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { parseProbeWord, validateProbe, validateProbes } from '../../lib/probe/validate.js';
import { defaultRoute } from '../../lib/probe/run.js';
import { readOneSpec, readSpecFile } from '../../lib/cli/spec-file.js';

describe('probe words (--probe)', () => {
  it.each([
    ['gateway', { kind: 'gateway' }],
    ['gateway6', { kind: 'gateway', family: 6 }],
    ['ping:10.0.0.1', { kind: 'ping', address: '10.0.0.1' }],
    ['ping:2001:DB8::1', { kind: 'ping', address: '2001:db8::1' }],
    ['arp:10.0.0.1', { kind: 'arp', address: '10.0.0.1' }],
    ['arp:10.0.0.1@bond1', { kind: 'arp', address: '10.0.0.1', dev: 'bond1' }],
    ['tcp:10.0.0.1:22', { kind: 'tcp', host: '10.0.0.1', port: 22 }],
    ['tcp:[2001:db8::1]:443', { kind: 'tcp', host: '2001:db8::1', port: 443 }],
    ['tcp:api.example.com:6443', { kind: 'tcp', host: 'api.example.com', port: 6443 }],
  ])('%s', (word, probe) => {
    expect(parseProbeWord(word)).toEqual(probe);
  });

  it.each([
    'gateway4', 'ping', 'ping:', 'ping:10.0.0', 'ping:host.example', 'arp:2001:db8::1', 'arp:10.0.0.1@', 'arp:10.0.0.1@a@b', 'arp:10.0.0.1@bad/name',
    'tcp:10.0.0.1', 'tcp:10.0.0.1:0', 'tcp:10.0.0.1:65536', 'tcp:2001:db8::1:22', 'tcp:$(reboot):22', 'tcp:a;b:22', 'tcp:-x:22', 'dns:10.0.0.1', '',
  ])('refuses %j with a ValidationError naming --probe or the field', (word) => {
    expect(() => parseProbeWord(word)).toThrow(ValidationError);
  });

  it('says what --probe takes', () => {
    expect(() => parseProbeWord('icmp:1.2.3.4')).toThrow(/Expected gateway, gateway6, ping:ADDRESS, arp:ADDRESS\[@DEV\], tcp:HOST:PORT or tcp:\[IPV6\]:PORT for --probe but received "icmp:1\.2\.3\.4"/u);
  });
});

describe('probe objects (applyBond probes)', () => {
  it('keeps timing and canonical addresses', () => {
    expect(validateProbe({ kind: 'ping', address: '2001:DB8:0::1', timeout: 500, retries: 0 })).toEqual({ kind: 'ping', address: '2001:db8::1', timeout: 500, retries: 0 });
  });

  it.each([
    [{ kind: 'ping', adress: '10.0.0.1' }, /Unknown option 'adress' for bond bond0; did you mean 'address'\?/u],
    [{ kind: 'ping', address: '10.0.0.1', timeout: 0 }, /probe timeout/u],
    [{ kind: 'ping', address: '10.0.0.1', timeout: 60_001 }, /probe timeout/u],
    [{ kind: 'ping', address: '10.0.0.1', retries: 101 }, /probe retries/u],
    [{ kind: 'gateway', family: 5 }, /Expected 4 or 6 for probe family/u],
    [{ kind: 'tcp', host: '10.0.0.1', port: 22.5 }, /probe port/u],
    [{ kind: 'tcp', host: 'a b', port: 22 }, /probe host/u],
    [{ kind: 'smtp' }, /kind 'gateway', 'ping', 'arp', 'tcp'/u],
    [null, /probe/u],
    [{ kind: 'arp', address: '10.0.0.1', dev: 'x'.repeat(16) }, /probe dev/u],
  ])('refuses %j', (probe, message) => {
    expect(() => validateProbe(probe, 'bond0')).toThrow(message);
  });

  it('refuses more than 32 probes (each may hold the locks for minutes)', () => {
    expect(() => validateProbes(Array.from({ length: 33 }, () => ({ kind: 'gateway' })))).toThrow(/at most 32 probes/u);
    expect(() => validateProbes('gateway')).toThrow(ValidationError);
  });
});

describe('defaultRoute', () => {
  const routes = [
    { destination: '10.0.0.0/24', dev: 'bond0', protocol: 'kernel' as const },
    { destination: 'default', dev: 'eth9', gateway: '10.0.0.9', metric: 200, protocol: 'boot' as const },
    { destination: 'default', dev: 'bond0', gateway: '10.0.0.1', metric: 100, protocol: 'boot' as const },
    { destination: 'default', dev: 'bond0', gateway: 'fe80::1', protocol: 'boot' as const },
  ];
  it('takes the lowest metric of the family', () => {
    expect(defaultRoute(routes)?.gateway).toBe('10.0.0.1');
    expect(defaultRoute(routes, 6)?.gateway).toBe('fe80::1');
    expect(defaultRoute(routes.slice(0, 1))).toBeUndefined();
  });
});

describe('spec files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'netbond-spec-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it('reads one spec or several', async () => {
    expect(await readSpecFile(await file('one.yaml', 'name: bond0\nmode: active-backup\n'))).toEqual({ specs: [{ name: 'bond0', mode: 'active-backup' }], several: false });
    expect(await readSpecFile(await file('two.yaml', 'bonds:\n  - name: bond0\n  - name: bond1\n'))).toEqual({ specs: [{ name: 'bond0' }, { name: 'bond1' }], several: true });
    expect(await readSpecFile(await file('two.json', '{"bonds":[{"name":"bond0"}]}'))).toMatchObject({ several: true });
  });

  it.each([
    ['empty.yaml', '', /is not a YAML or JSON BondSpec/u],
    ['list.yaml', '- name: bond0\n', /is not a YAML or JSON BondSpec/u],
    ['extra.yaml', 'bonds: [{name: bond0}]\nprobes: []\n', /unknown key 'probes' beside bonds/u],
    ['none.yaml', 'bonds: []\n', /bonds must be a non-empty list/u],
    ['bad.json', '{', /cannot parse/u],
  ])('refuses %s', async (name, text, message) => {
    await expect(readSpecFile(await file(name, text))).rejects.toThrow(message);
  });

  it('export takes one spec', async () => {
    await expect(readOneSpec(await file('two-export.yaml', 'bonds:\n  - name: bond0\n'))).rejects.toThrow(/lists several bonds; export takes one/u);
  });
});

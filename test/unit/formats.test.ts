// Persistent configs <-> BondSpec: the seeds' own files, one realistic example per format,
// warnings for what is not imported, and round trips through every format that can be written.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { detectFormat, exportConfig, importConfigs, type ConfigFile, type ConfigFormat } from '../../lib/formats/index.js';
import { BOND_OPTION_DEFS } from '../../lib/option-table.js';
import type { BondSpec } from '../../lib/plan/types.js';
import { expectRoundTrip, fileWarnings } from './helpers/format-round-trip.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/configs/', import.meta.url));

/** The files of one fixture directory, named "dir/file" so warnings stay short. */
function fixtures(dir: string): ConfigFile[] {
  return readdirSync(`${FIXTURES}${dir}`)
    .sort()
    .map((name) => ({ path: `${dir}/${name}`, text: readFileSync(`${FIXTURES}${dir}/${name}`, 'utf8') }));
}

const file = (path: string, text: string, format?: ConfigFormat): ConfigFile => ({ path, text, ...(format ? { format } : {}) });


describe('the seed articles', () => {
  it('imports seed 000 (ifcfg-bond0, ifcfg-eth1, ifcfg-eth2, modules.conf, rc.local) to one bond', () => {
    const result = importConfigs(fixtures('seed-000'));
    expect(result.specs).toEqual([
      {
        name: 'bond0',
        // No file states the mode: `alias bond0 bonding` loads the driver with its default, the
        // round-robin the article's /proc/net/bond0/info shows.
        mode: 'balance-rr',
        slaves: ['eth1', 'eth2'],
        up: true,
        addresses: [{ address: '10.65.69.171/24', broadcast: '10.65.69.255' }],
        routes: [{ destination: '10.65.69.0/24' }],
      },
    ]);
    expect(result.warnings).toEqual(["seed-000/rc.local:1: /usr/sbin/exportfs: '/usr/sbin/exportfs -r' does not configure a bond; not imported"]);
  });

  it('imports seed 001 (ifcfg files, modprobe.conf, rc.local) to active-backup with miimon 100', () => {
    const result = importConfigs(fixtures('seed-001'));
    expect(result.specs).toEqual([
      {
        name: 'bond0',
        mode: 'active-backup',
        miimon: 100,
        slaves: ['eth0', 'eth1'],
        up: true,
        addresses: [{ address: '172.16.248.50/16', broadcast: '172.16.255.255' }],
      },
    ]);
    // The article's route line has host bits in its -net target (route(8) refuses it) and a
    // remark in parentheses after the device.
    expect(result.warnings).toEqual([
      "seed-001/rc.local:2: route: route 172.31.3.254/24: unexpected '(如果有对外交换机要加)'; 172.31.3.254/24 has host bits set (the network is 172.31.3.0/24); not imported",
    ]);
  });

  it('maps enum numbers to names and checks NETWORK against the address', () => {
    const result = importConfigs([
      file('/etc/sysconfig/network-scripts/ifcfg-bond0', 'DEVICE=bond0\nBONDING_OPTS="mode=4 lacp_rate=1 xmit_hash_policy=1"\nIPADDR=10.0.0.5\nNETMASK=255.255.255.0\nNETWORK=10.0.1.0\n'),
    ]);
    expect(result.specs).toEqual([{ name: 'bond0', mode: '802.3ad', lacpRate: 'fast', xmitHashPolicy: 'layer3+4', up: true, addresses: ['10.0.0.5/24'] }]);
    expect(result.warnings).toEqual(['/etc/sysconfig/network-scripts/ifcfg-bond0:5: NETWORK: 10.0.1.0 is not the network of 10.0.0.5/24 (10.0.0.0/24); NETWORK is only checked, not imported']);
  });
});

describe('option spellings', () => {
  it('ifcfg arp_ip_target as +addr entries and comma lists', () => {
    const opts = 'mode=active-backup arp_interval=100 arp_ip_target=+192.0.2.1 arp_ip_target=192.0.2.2,192.0.2.3';
    const [spec] = importConfigs([file('/etc/sysconfig/network-scripts/ifcfg-bond0', `DEVICE=bond0\nBONDING_MASTER=yes\nBONDING_OPTS="${opts}"\n`)]).specs;
    expect(spec).toMatchObject({ mode: 'active-backup', arpInterval: 100, arpIpTarget: ['192.0.2.1', '192.0.2.2', '192.0.2.3'] });
  });

  it("netplan's aliases and its historical misspelling", () => {
    const yaml = 'network:\n  bonds:\n    bond0:\n      parameters:\n        mode: balance-rr\n        all-members-active: true\n        packets-per-member: 4\n        gratuitious-arp: 2\n';
    const result = importConfigs([file('/etc/netplan/b.yaml', yaml)]);
    expect(result.specs[0]).toMatchObject({ allSlavesActive: true, packetsPerSlave: 4, numGratArp: 2 });
    expect(result.warnings).toEqual([]);
  });

  it('ifupdown bond-members and bond-X for any sysfs option, num_unsol_na as num_grat_arp', () => {
    const text = 'auto bond0\niface bond0 inet manual\n  bond-members eth0 eth1\n  bond-mode active-backup\n  bond-miimon 100\n  bond-num-unsol-na 2\n  bond-primary eth1\n';
    const [spec] = importConfigs([file('/etc/network/interfaces.d/bond0', text)]).specs;
    expect(spec).toEqual({ name: 'bond0', mode: 'active-backup', miimon: 100, primary: 'eth1', numGratArp: 2, slaves: ['eth0', 'eth1'], up: true });
  });
});

describe('ifcfg addresses as initscripts numbers them', () => {
  it('reads IPADDR, IPADDR0, IPADDR1, ... and stops at the first gap from IPADDR2 on', () => {
    const text = 'DEVICE=bond0\nTYPE=Bond\nIPADDR=10.0.0.1\nPREFIX=24\nIPADDR1=10.0.1.1\nPREFIX1=24\nIPADDR2=10.0.2.1\nNETMASK2=255.255.255.0\nIPADDR4=10.0.4.1\nPREFIX4=24\n';
    const result = importConfigs([file('/etc/sysconfig/network-scripts/ifcfg-bond0', text)]);
    expect(result.specs[0]?.addresses).toEqual(['10.0.0.1/24', '10.0.1.1/24', '10.0.2.1/24']);
    expect(result.warnings).toEqual(['/etc/sysconfig/network-scripts/ifcfg-bond0:9: IPADDR4: initscripts stops at the first missing address from IPADDR2 on, and IPADDR3 is missing; not imported']);
  });
});

describe('one example per format', () => {
  it('RHEL 7 ifcfg with BONDING_OPTS, slave files and route-bond1', () => {
    const result = importConfigs(fixtures('rhel7'));
    expect(result.specs).toEqual([
      {
        name: 'bond1',
        mode: 'active-backup',
        miimon: 100,
        updelay: 200,
        downdelay: 200,
        primary: 'em1',
        slaves: ['em1', 'em2'],
        up: true,
        addresses: ['10.40.0.10/24', '2001:db8:40::10/64'],
        routes: [
          { destination: 'default', gateway: '10.40.0.1' },
          { destination: '10.41.0.0/16', gateway: '10.40.0.254' },
        ],
      },
    ]);
    expect(result.warnings).toEqual(['rhel7/ifcfg-bond1:14: DNS1: not part of a bond spec; not imported']);
  });

  it('Debian /etc/network/interfaces with bond-master slaves and an up route', () => {
    const result = importConfigs(fixtures('debian'));
    expect(result.specs).toEqual([
      {
        name: 'bond0',
        mode: '802.3ad',
        miimon: 100,
        updelay: 200,
        downdelay: 200,
        xmitHashPolicy: 'layer3+4',
        minLinks: 1,
        lacpRate: 'fast',
        slaves: ['eno1', 'eno2'],
        up: true,
        mtu: 9000,
        addresses: [{ address: '192.168.10.20/24', broadcast: '192.168.10.255' }, '2001:db8:10::20/64'],
        routes: [
          { destination: '10.20.0.0/16', gateway: '192.168.10.254', metric: 100 },
          { destination: 'default', gateway: '192.168.10.1' },
        ],
      },
    ]);
    expect(result.warnings).toEqual([
      'debian/interfaces:4: source: the files it includes are not read here (pass them too); not imported',
      'debian/interfaces:8: iface lo inet loopback: method loopback: only static and manual configuration is expressible in a bond spec; not imported',
      'debian/interfaces:25: dns-nameservers: DNS is not part of a bond spec; not imported',
    ]);
  });

  it('netplan with time units, members and routes', () => {
    const result = importConfigs(fixtures('netplan'));
    expect(result.specs).toEqual([
      {
        name: 'bond0',
        mode: '802.3ad',
        miimon: 100,
        updelay: 200,
        downdelay: 200,
        xmitHashPolicy: 'layer3+4',
        minLinks: 1,
        lacpRate: 'fast',
        adSelect: 'bandwidth',
        slaves: ['enp3s0f0', 'enp3s0f1'],
        up: true,
        mtu: 9000,
        mac: '02:00:0a:0a:00:0b',
        addresses: ['10.10.0.11/24', '2001:db8:100::11/64'],
        routes: [
          { destination: 'default', gateway: '10.10.0.1' },
          { destination: '172.16.0.0/12', gateway: '10.10.0.254', metric: 200 },
        ],
      },
    ]);
    expect(result.warnings).toEqual(['netplan/60-bond0.yaml:27: nameservers: not part of a bond spec; not imported']);
  });

  it('systemd-networkd .netdev, the bond .network and one .network per slave', () => {
    const result = importConfigs(fixtures('networkd'));
    expect(result.specs).toEqual([
      {
        name: 'bond1',
        mode: 'active-backup',
        arpInterval: 500,
        arpIpTarget: ['192.0.2.1', '192.0.2.2'],
        arpValidate: 'all',
        arpAllTargets: 'any',
        primary: 'ens1',
        primaryReselect: 'better',
        failOverMac: 'active',
        resendIgmp: 2,
        numGratArp: 3,
        slaves: ['ens1', 'ens2'],
        up: true,
        addresses: ['192.0.2.10/24', { address: '198.51.100.7/28', broadcast: '198.51.100.15' }],
        routes: [
          { destination: 'default', gateway: '192.0.2.1' },
          { destination: '203.0.113.0/24', gateway: '192.0.2.254', metric: 50 },
        ],
      },
    ]);
    expect(result.warnings).toEqual(['networkd/10-bond1.network:7: Network.DNS: not part of a bond spec; not imported']);
  });

  it('NetworkManager keyfiles: ports by controller UUID and by master name, with bond-port settings', () => {
    const result = importConfigs(fixtures('nm'));
    expect(result.specs).toEqual([
      {
        name: 'bond0',
        mode: '802.3ad',
        miimon: 100,
        xmitHashPolicy: 'layer3+4',
        lacpActive: true,
        lacpRate: 'fast',
        adActorSysPrio: 100,
        slaves: [{ name: 'ens1f0', queueId: 1 }, 'ens1f1'],
        up: true,
        mtu: 9000,
        addresses: ['10.30.0.5/24', '2001:db8:30::5/64'],
        routes: [
          { destination: 'default', gateway: '10.30.0.1' },
          { destination: '10.31.0.0/16', gateway: '10.30.0.254', metric: 20 },
        ],
      },
    ]);
    expect(result.warnings).toEqual(['nm/bond0.nmconnection:21: ipv4.dns: not part of a bond spec; not imported']);
  });

  it('a boot script: sysfs writes, ip and ifconfig commands, ifenslave -c', () => {
    const script = [
      '#!/bin/sh',
      'modprobe bonding max_bonds=0',
      'echo +bond1 > /sys/class/net/bonding_masters',
      'echo 100 > /sys/class/net/bond1/bonding/miimon',
      'echo active-backup > /sys/class/net/bond1/bonding/mode',
      'echo +eth0 > /sys/class/net/bond1/bonding/slaves',
      'echo +eth1 > /sys/class/net/bond1/bonding/slaves',
      'ip addr add 192.0.2.5/24 brd + dev bond1',
      'ip link set bond1 mtu 9000 up',
      'ip route add 198.51.100.0/24 via 192.0.2.1 dev bond1 metric 5',
      'ip route add 203.0.113.0/24 via 192.0.2.1 dev bond1 table 100',
      'ifconfig bond1 10.0.0.5 netmask 255.255.255.0 broadcast 10.0.0.255 up',
      'ifenslave -c bond1 eth1',
      'touch /var/lock/subsys/local',
    ].join('\n');
    const result = importConfigs([file('/etc/rc.d/rc.local', script)]);
    expect(result.specs).toEqual([
      {
        name: 'bond1',
        mode: 'active-backup',
        miimon: 100,
        slaves: ['eth0', 'eth1'],
        activeSlave: 'eth1',
        up: true,
        mtu: 9000,
        addresses: ['192.0.2.5/24', { address: '10.0.0.5/24', broadcast: '10.0.0.255' }],
        routes: [{ destination: '198.51.100.0/24', gateway: '192.0.2.1', metric: 5 }],
      },
    ]);
    expect(result.warnings).toEqual([
      "/etc/rc.d/rc.local:11: ip route: route 203.0.113.0/24: 'table 100' is not expressible in a bond spec; not imported",
      "/etc/rc.d/rc.local:14: touch: 'touch /var/lock/subsys/local' does not configure a bond; not imported",
    ]);
  });
});

describe('modprobe options and merging', () => {
  it('`options bonding` parameters apply to the bonds max_bonds creates', () => {
    const result = importConfigs([file('/etc/modprobe.d/bonding.conf', 'options bonding mode=4 miimon=100 max_bonds=2\n')]);
    expect(result.specs).toEqual([
      { name: 'bond0', mode: '802.3ad', miimon: 100 },
      { name: 'bond1', mode: '802.3ad', miimon: 100 },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('module parameters are defaults that a bond file overrides', () => {
    const result = importConfigs([
      file('/etc/modprobe.conf', 'alias bond0 bonding\noptions bonding mode=1 miimon=100\n'),
      file('/etc/sysconfig/network-scripts/ifcfg-bond1', 'DEVICE=bond1\nTYPE=Bond\nBONDING_OPTS="mode=balance-alb"\n'),
    ]);
    expect(result.specs).toEqual([
      { name: 'bond0', mode: 'active-backup', miimon: 100 },
      { name: 'bond1', mode: 'balance-alb', miimon: 100, up: true },
    ]);
  });

  it('a conflict between files is a warning naming both places, and the later file wins', () => {
    const result = importConfigs([
      file('/etc/sysconfig/network-scripts/ifcfg-bond0', 'DEVICE=bond0\nBONDING_OPTS="mode=1 miimon=100"\n'),
      file('/etc/modprobe.conf', 'alias bond0 bonding\noptions bond0 mode=0\n'),
    ]);
    expect(result.specs[0]?.mode).toBe('balance-rr');
    expect(result.warnings).toContain("bond0: mode is 'active-backup' at /etc/sysconfig/network-scripts/ifcfg-bond0:2 but 'balance-rr' at /etc/modprobe.conf:2; using /etc/modprobe.conf:2");
  });

  it('reports files about interfaces that are not bonds, and what the kernel would refuse', () => {
    const result = importConfigs([
      file('/etc/sysconfig/network-scripts/ifcfg-eth5', 'DEVICE=eth5\nIPADDR=10.9.9.9\nPREFIX=24\n'),
      file('/etc/modprobe.d/bond.conf', 'alias bond0 bonding\noptions bond0 mode=active-backup lacp_rate=fast miimon=100 arp_interval=200\n'),
    ]);
    expect(result.specs.map((s) => s.name)).toEqual(['bond0']);
    expect(result.warnings).toEqual([
      '/etc/sysconfig/network-scripts/ifcfg-eth5: eth5 is not a bond and no bond in these files takes it as a slave; its settings were not imported',
      'bond0: lacpRate applies only in mode 802.3ad, and the mode is active-backup: the kernel will refuse it',
      'bond0: miimon 100 and arpInterval 200 cannot be set together on bond bond0: MII and ARP monitoring exclude each other',
    ]);
  });
});

describe('unknown keys and unmappable values are warnings that name the file, the line and the key', () => {
  it.each<[string, ConfigFile, string[]]>([
    [
      'ifcfg',
      file('/etc/sysconfig/network-scripts/ifcfg-bond0', 'DEVICE=bond0\nBONDING_OPTS="mode=1 miimom=100 updelay=abc"\nFROBNICATE=yes\n'),
      [
        '/etc/sysconfig/network-scripts/ifcfg-bond0:2: BONDING_OPTS miimom: unknown key; not imported',
        '/etc/sysconfig/network-scripts/ifcfg-bond0:2: BONDING_OPTS updelay: Expected integer between 0 and 2147483647 for updelay but received "abc"; not imported',
        '/etc/sysconfig/network-scripts/ifcfg-bond0:3: FROBNICATE: unknown key; not imported',
      ],
    ],
    [
      'modprobe',
      file('/etc/modprobe.conf', 'alias bond0 bonding\noptions bond0 mode=7 miimom=100\n'),
      [
        "/etc/modprobe.conf:2: mode: Expected one of 'balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb' (or 0-6) for mode but received 7; not imported",
        '/etc/modprobe.conf:2: miimom: unknown bonding parameter in options; not imported',
      ],
    ],
    [
      'interfaces',
      file('/etc/network/interfaces', 'iface bond0 inet manual\n  bond-slaves eth0\n  bond-miimom 100\n  bond-mode fast\n  frobnicate 1\n'),
      [
        '/etc/network/interfaces:3: bond-miimom: unknown key; not imported',
        "/etc/network/interfaces:4: bond-mode: Expected one of 'balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb' (or 0-6) for mode but received \"fast\"; not imported",
        '/etc/network/interfaces:5: frobnicate: unknown key; not imported',
      ],
    ],
    [
      'netplan',
      file('/etc/netplan/01.yaml', 'network:\n  bonds:\n    bond0:\n      interfaces: [eth0]\n      frobnicate: 1\n      parameters:\n        mii-monitor-intervall: 100\n        up-delay: 150us\n'),
      [
        '/etc/netplan/01.yaml:5: frobnicate: unknown key; not imported',
        '/etc/netplan/01.yaml:7: parameters.mii-monitor-intervall: unknown key; not imported',
        '/etc/netplan/01.yaml:8: parameters.up-delay: "150us" is not a time span in whole milliseconds; not imported',
      ],
    ],
    [
      'networkd',
      file('/etc/systemd/network/bond0.netdev', '[NetDev]\nName=bond0\nKind=bond\n\n[Bond]\nMode=active-backup\nMIIMonitorSecs=1s\nResendIGMP=300\n'),
      [
        '/etc/systemd/network/bond0.netdev:7: Bond.MIIMonitorSecs: unknown key; not imported',
        '/etc/systemd/network/bond0.netdev:8: Bond.ResendIGMP: Expected integer between 0 and 255 for resendIgmp but received 300; not imported',
      ],
    ],
    [
      'nm',
      file('/etc/NetworkManager/system-connections/bond0.nmconnection', '[connection]\ntype=bond\ninterface-name=bond0\n\n[bond]\nmode=active-backup\nmiimom=100\nbalance_slb=1\n'),
      [
        '/etc/NetworkManager/system-connections/bond0.nmconnection:7: bond.miimom: unknown key; not imported',
        '/etc/NetworkManager/system-connections/bond0.nmconnection:8: bond.balance_slb: balance-slb is done by NetworkManager (nftables), not by the bonding driver; not imported',
      ],
    ],
  ])('%s', (_format, config, expected) => {
    const result = importConfigs([config]);
    expect(result.warnings).toEqual(expected);
    // The rest is still imported.
    expect(result.specs.map((s) => s.name)).toEqual(['bond0']);
  });
});

describe('what cannot be tied to a bond is reported', () => {
  it.each<[string, ConfigFile[], string[], string[]]>([
    [
      'an ifcfg slave without SLAVE=yes',
      [file('/etc/sysconfig/network-scripts/ifcfg-eth0', 'DEVICE=eth0\nMASTER=bond0\n')],
      [
        '/etc/sysconfig/network-scripts/ifcfg-eth0:2: MASTER: initscripts enslaves only with both MASTER=<bond> and SLAVE=yes; not imported',
        '/etc/sysconfig/network-scripts/ifcfg-eth0: eth0 is not a bond and no bond in these files takes it as a slave; its settings were not imported',
      ],
      [],
    ],
    [
      'a NetworkManager port whose controller profile is not among the files',
      [file('/etc/NetworkManager/system-connections/p.nmconnection', '[connection]\ntype=ethernet\ninterface-name=eth0\ncontroller=6f1c2a8e-3b5d-4e1f-9a7c-2d4b6e8f0a13\nport-type=bond\n')],
      ['/etc/NetworkManager/system-connections/p.nmconnection:4: no file here has the profile 6f1c2a8e-3b5d-4e1f-9a7c-2d4b6e8f0a13 it refers to; not imported'],
      [],
    ],
    [
      'a netplan member matched by a glob',
      [file('/etc/netplan/b.yaml', 'network:\n  ethernets:\n    ports:\n      match: {name: "en*"}\n  bonds:\n    bond0:\n      interfaces: [ports]\n')],
      ['/etc/netplan/b.yaml:7: interfaces ports: ports matches interfaces by name, so its name is not known; not imported'],
      ['bond0'],
    ],
    [
      'a bond whose name the kernel would refuse',
      [file('/etc/netplan/b.yaml', 'network:\n  bonds:\n    uplink-to-the-core:\n      interfaces: [eth0]\n')],
      ['/etc/netplan/b.yaml: Expected an interface name of 1-15 bytes without "/", ":", "%" or whitespace for name but received "uplink-to-the-core"; bond "uplink-to-the-core" not imported'],
      [],
    ],
    [
      'a networkd .network matching a glob',
      [file('/etc/systemd/network/30-ports.network', '[Match]\nName=en*\n\n[Network]\nBond=bond0\n')],
      ['/etc/systemd/network/30-ports.network:2: Match: matches Name=en*, so the interfaces it configures are not known; not imported'],
      [],
    ],
  ])('%s', (_case, files, warnings, bonds) => {
    const result = importConfigs(files);
    expect(result.warnings).toEqual(warnings);
    expect(result.specs.map((s) => s.name)).toEqual(bonds);
  });
});

describe('time spans', () => {
  it('networkd: a bare number is seconds; units are honoured', () => {
    const netdev = (value: string) => file('/etc/systemd/network/b.netdev', `[NetDev]\nName=bond0\nKind=bond\n[Bond]\nMIIMonitorSec=${value}\nLearnPacketIntervalSec=${value}\n`);
    expect(importConfigs([netdev('1')]).specs[0]).toMatchObject({ miimon: 1000, lpInterval: 1 });
    expect(importConfigs([netdev('2s')]).specs[0]).toMatchObject({ miimon: 2000, lpInterval: 2 });
    expect(importConfigs([netdev('1min 30s')]).specs[0]).toMatchObject({ miimon: 90_000, lpInterval: 90 });
  });

  it('netplan: a bare number is milliseconds, but seconds for learn-packet-interval', () => {
    const yaml = (value: string) => file('/etc/netplan/b.yaml', `network:\n  bonds:\n    bond0:\n      parameters:\n        mii-monitor-interval: ${value}\n        learn-packet-interval: ${value}\n`);
    expect(importConfigs([yaml('3')]).specs[0]).toMatchObject({ miimon: 3, lpInterval: 3 });
    expect(importConfigs([yaml('3s')]).specs[0]).toMatchObject({ miimon: 3000, lpInterval: 3 });
  });
});

describe('detectFormat', () => {
  it.each<[string, ConfigFormat]>([
    ['seed-000/ifcfg-bond0', 'ifcfg'],
    ['seed-000/ifcfg-eth1', 'ifcfg'],
    ['seed-000/modules.conf', 'modprobe'],
    ['seed-000/rc.local', 'rc-local'],
    ['seed-001/modprobe.conf', 'modprobe'],
    ['seed-001/rc.local', 'rc-local'],
    ['rhel7/route-bond1', 'ifcfg'],
    ['debian/interfaces', 'interfaces'],
    ['netplan/60-bond0.yaml', 'netplan'],
    ['networkd/10-bond1.netdev', 'networkd'],
    ['networkd/20-bond1-ens1.network', 'networkd'],
    ['nm/bond0.nmconnection', 'nm'],
    ['nm/bond0-port-ens1f1.nmconnection', 'nm'],
  ])('%s is %s', (path, format) => {
    expect(detectFormat({ path, text: readFileSync(`${FIXTURES}${path}`, 'utf8') })).toBe(format);
  });

  it.each<[string, ConfigFormat]>([
    ['seed-000/ifcfg-bond0', 'ifcfg'],
    ['seed-001/modprobe.conf', 'modprobe'],
    ['seed-001/rc.local', 'rc-local'],
    ['debian/interfaces', 'interfaces'],
    ['netplan/60-bond0.yaml', 'netplan'],
    ['networkd/10-bond1.netdev', 'networkd'],
    ['nm/bond0.nmconnection', 'nm'],
  ])('%s is %s by its content alone', (path, format) => {
    expect(detectFormat({ path: '/tmp/saved-config', text: readFileSync(`${FIXTURES}${path}`, 'utf8') })).toBe(format);
  });

  it('gives up on text it does not know, and import says so', () => {
    expect(detectFormat({ path: '/tmp/notes.txt', text: 'hello\n' })).toBeUndefined();
    expect(importConfigs([file('/tmp/notes.txt', 'hello\n')]).warnings).toEqual(['/tmp/notes.txt: the format is not recognised (give it explicitly); not imported']);
  });
});

// ---- export and round trips

type Writable = Parameters<typeof exportConfig>[0];
const WRITABLE: Writable[] = ['ifcfg', 'interfaces', 'netplan', 'networkd', 'nm'];

/** Every option with a sysfs file: what ifcfg BONDING_OPTS and ifupdown bond-* keys hold. */
const SYSFS_OPTIONS = {
  mode: '802.3ad',
  miimon: 100,
  updelay: 200,
  downdelay: 200,
  peerNotifDelay: 100,
  useCarrier: true,
  arpInterval: 0,
  arpIpTarget: ['192.0.2.1', '192.0.2.2'],
  arpValidate: 'none',
  arpAllTargets: 'all',
  primary: 'eth0',
  primaryReselect: 'better',
  failOverMac: 'none',
  xmitHashPolicy: 'layer3+4',
  resendIgmp: 2,
  numGratArp: 3,
  allSlavesActive: false,
  minLinks: 1,
  lpInterval: 2,
  packetsPerSlave: 3,
  lacpActive: true,
  lacpRate: 'fast',
  adSelect: 'bandwidth',
  adActorSysPrio: 100,
  adUserPortKey: 5,
  adActorSystem: '02:00:00:00:00:aa',
  tlbDynamicLb: true,
  arpMissedMax: 3,
} as const satisfies Partial<BondSpec>;

const pick = <K extends keyof typeof SYSFS_OPTIONS>(...keys: K[]) => Object.fromEntries(keys.map((k) => [k, SYSFS_OPTIONS[k]])) as Pick<typeof SYSFS_OPTIONS, K>;

/** The 20 netplan parameters (anchors §1b). */
const NETPLAN_OPTIONS = pick('mode', 'lacpRate', 'miimon', 'minLinks', 'xmitHashPolicy', 'adSelect', 'allSlavesActive', 'arpInterval', 'arpIpTarget', 'arpValidate', 'arpAllTargets', 'updelay', 'downdelay', 'failOverMac', 'numGratArp', 'packetsPerSlave', 'primaryReselect', 'resendIgmp', 'lpInterval', 'primary');
/** The 25 [Bond] keys of networkd, plus the primary it names with PrimarySlave=. */
const NETWORKD_OPTIONS = pick('mode', 'xmitHashPolicy', 'lacpRate', 'miimon', 'updelay', 'downdelay', 'lpInterval', 'adSelect', 'adActorSysPrio', 'adUserPortKey', 'adActorSystem', 'failOverMac', 'arpValidate', 'arpInterval', 'arpIpTarget', 'arpAllTargets', 'primaryReselect', 'resendIgmp', 'packetsPerSlave', 'numGratArp', 'allSlavesActive', 'tlbDynamicLb', 'minLinks', 'peerNotifDelay', 'arpMissedMax', 'primary');

const ADDRESSING = {
  up: true,
  mtu: 9000,
  mac: '02:00:00:00:00:01',
  addresses: ['10.0.0.2/24', '10.0.1.2/24', '2001:db8::2/64', '2001:db8:1::2/64'],
  routes: [
    { destination: 'default', gateway: '10.0.0.1', metric: 100 },
    { destination: '10.9.0.0/16', gateway: '10.0.0.254', metric: 20 },
    { destination: '10.10.0.0/16' },
    { destination: 'default', gateway: '2001:db8::1', metric: 1024 },
    { destination: '2001:db8:9::/48', gateway: '2001:db8::fe', metric: 50 },
  ],
} satisfies Partial<BondSpec>;

/** Per format, a spec with every option and field the format can hold. */
const FULL: Record<Writable, BondSpec> = {
  ifcfg: { name: 'bond0', ...SYSFS_OPTIONS, slaves: ['eth0', 'eth1'], activeSlave: 'eth0', ...ADDRESSING, addresses: [{ address: '10.0.0.2/24', broadcast: '10.0.0.255' }, { address: '10.0.1.2/24', broadcast: '10.0.1.127' }, '2001:db8::2/64', '2001:db8:1::2/64'] },
  interfaces: { name: 'bond0', ...SYSFS_OPTIONS, slaves: ['eth0', 'eth1'], activeSlave: 'eth0', ...ADDRESSING, addresses: [{ address: '10.0.0.2/24', broadcast: '10.0.0.255' }, '10.0.1.2/24', '2001:db8::2/64'] },
  netplan: { name: 'bond0', ...NETPLAN_OPTIONS, slaves: ['eth0', 'eth1'], ...ADDRESSING },
  networkd: { name: 'bond0', ...NETWORKD_OPTIONS, slaves: ['eth0', 'eth1'], activeSlave: 'eth1', ...ADDRESSING, addresses: [{ address: '10.0.0.2/24', broadcast: '10.0.0.255' }, '10.0.1.2/24', '2001:db8::2/64'] },
  nm: { name: 'bond0', ...SYSFS_OPTIONS, nsIp6Target: ['2001:db8::fe'], slaves: ['eth0', { name: 'eth1', queueId: 2, prio: 5 }], activeSlave: 'eth0', ...ADDRESSING },
};

/** Specs every format holds whole. */
const COMMON: BondSpec[] = [
  { name: 'bond1', mode: 'active-backup', miimon: 100, slaves: ['eth0', 'eth1'], up: true, addresses: ['192.168.1.10/24'] },
  { name: 'bond7', mode: 'balance-xor', xmitHashPolicy: 'layer2+3', slaves: ['ens1', 'ens2', 'ens3'], ...ADDRESSING },
  { name: 'bond2', mode: 'balance-rr', up: false, mtu: 1500, addresses: ['2001:db8:5::1/64'], routes: [{ destination: '2001:db8:6::/64', gateway: '2001:db8:5::fe' }] },
  { name: 'uplink', mode: 'broadcast', slaves: ['eth2'], up: true },
];

describe('export', () => {
  it('writes every option with a sysfs file into ifcfg and ifupdown, so FULL covers them all', () => {
    expect(Object.keys(SYSFS_OPTIONS).sort()).toEqual(BOND_OPTION_DEFS.filter((s) => s.sysfs).map((s) => s.key).sort());
    expect(Object.keys(NETPLAN_OPTIONS)).toHaveLength(20);
    expect(Object.keys(NETWORKD_OPTIONS)).toHaveLength(26);
  });

  it.each<[Writable, string[]]>([
    ['ifcfg', ['/etc/sysconfig/network-scripts/ifcfg-bond0', '/etc/sysconfig/network-scripts/ifcfg-eth0', '/etc/sysconfig/network-scripts/ifcfg-eth1', '/etc/sysconfig/network-scripts/route-bond0', '/etc/sysconfig/network-scripts/route6-bond0']],
    ['interfaces', ['/etc/network/interfaces.d/bond0']],
    ['netplan', ['/etc/netplan/60-bond0.yaml']],
    ['networkd', ['/etc/systemd/network/10-bond0.netdev', '/etc/systemd/network/10-bond0.network', '/etc/systemd/network/20-bond0-eth0.network', '/etc/systemd/network/20-bond0-eth1.network']],
    ['nm', ['/etc/NetworkManager/system-connections/bond0.nmconnection', '/etc/NetworkManager/system-connections/bond0-port-eth0.nmconnection', '/etc/NetworkManager/system-connections/bond0-port-eth1.nmconnection']],
  ])('%s goes to the conventional paths, each file detectable as its format', (format, paths) => {
    const files = exportConfig(format, FULL[format]);
    expect(files.map((f) => f.path)).toEqual(paths);
    for (const f of files) {
      expect(f.format).toBe(format);
      expect(detectFormat(f)).toBe(format);
    }
  });

  it('lists what a format cannot express in a comment at the top of the file', () => {
    const spec: BondSpec = { name: 'bond0', mode: '802.3ad', lacpActive: false, lacpStrict: true, slaves: [{ name: 'eth0', queueId: 3 }], addresses: [{ address: '10.0.0.2/24', broadcast: '10.0.0.255' }] };
    const [yaml] = exportConfig('netplan', spec);
    expect(yaml?.text).toMatch(/^# netbond: netplan cannot express the following, so they are not in this file:\n# {3}broadcast 10\.0\.0\.255 of 10\.0\.0\.2\/24\n# {3}lacpActive \(lacp_active\) = false\n# {3}lacpStrict \(lacp_strict\) = true\n# {3}queueId 3 of eth0\n/u);
    const [nm] = exportConfig('nm', spec);
    expect(nm?.text).toContain('#   lacpStrict (lacp_strict) = true');
    expect(nm?.text).toContain('lacp_active=off');
    const [ifcfg] = exportConfig('ifcfg', spec);
    expect(ifcfg?.text).toContain('#   lacpStrict (lacp_strict) = true');
    expect(ifcfg?.text).toContain("BONDING_OPTS='mode=802.3ad lacp_active=0'");
  });

  it('refuses what is not a valid spec, or not a bond to write', () => {
    expect(() => exportConfig('ifcfg', { name: 'bond0', miimon: -1 })).toThrow(ValidationError);
    expect(() => exportConfig('ifcfg', { name: 'bond0', miimom: 100 } as BondSpec)).toThrow(ValidationError);
    expect(() => exportConfig('nm', { name: 'bond 0' })).toThrow(ValidationError);
    expect(() => exportConfig('nm', { name: 'bond0', slaves: [{ name: 'eth0', queueId: 70000 }] })).toThrow(ValidationError);
    expect(() => exportConfig('netplan', { name: 'bond0', addresses: ['10.0.0.1'] })).toThrow(ValidationError);
    expect(() => exportConfig('networkd', { name: 'bond0', routes: [{ destination: '10.0.0.1/24' }] })).toThrow(ValidationError);
    expect(() => exportConfig('interfaces', { name: 'bond0', state: 'absent' })).toThrow(/state 'absent'/u);
    expect(() => exportConfig('modprobe' as Writable, { name: 'bond0' })).toThrow(ValidationError);
  });

  it('gives NetworkManager profiles stable UUIDs', () => {
    const once = exportConfig('nm', COMMON[0] as BondSpec).map((f) => f.text);
    expect(exportConfig('nm', COMMON[0] as BondSpec).map((f) => f.text)).toEqual(once);
    expect(once[0]).toMatch(/^uuid=[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/mu);
  });
});

describe('round trips: spec -> format -> spec -> format -> spec', () => {
  const cases = WRITABLE.flatMap((format) => [[format, 'everything the format holds', FULL[format]] as const, ...COMMON.map((spec) => [format, spec.name, spec] as const)]);

  it.each(cases)('%s: %s', (format, _label, spec) => {
    expectRoundTrip(format, spec, { specWarnings: true });
  });

  it.each<[string, Writable]>([
    ['seed-000', 'ifcfg'],
    ['seed-001', 'ifcfg'],
    ['rhel7', 'ifcfg'],
    ['debian', 'interfaces'],
    ['netplan', 'netplan'],
    ['networkd', 'networkd'],
    ['nm', 'nm'],
  ])('the %s fixture through %s', (dir, format) => {
    const [spec] = importConfigs(fixtures(dir)).specs;
    const again = importConfigs(exportConfig(format, spec as BondSpec));
    expect(fileWarnings(again.warnings)).toEqual([]);
    expect(again.specs).toEqual([spec]);
  });

  it('a spec from any format survives every other format, less what the target cannot express', () => {
    const [seed] = importConfigs(fixtures('seed-000')).specs;
    for (const format of WRITABLE) {
      const [back] = importConfigs(exportConfig(format, seed as BondSpec)).specs;
      // netplan and NetworkManager compute broadcasts themselves.
      const expected = format === 'netplan' || format === 'nm' ? { ...seed, addresses: ['10.65.69.171/24'] } : seed;
      expect(back).toEqual(expected);
    }
  });
});

describe('slave options a format has no key for', () => {
  it('are kept as comments naming the option, the value and the slave, in every format', () => {
    const spec: BondSpec = { name: 'bond0', mode: '802.3ad', slaves: [{ name: 'eth0', queueId: 2, actorPortPrio: 100 }] };
    for (const format of ['ifcfg', 'interfaces', 'netplan', 'networkd', 'nm'] as const) {
      const text = exportConfig(format, spec).map((f) => f.text).join('\n');
      expect(text, format).toContain('actorPortPrio 100 of eth0');
    }
    // NetworkManager has a key for the queue id.
    expect(exportConfig('nm', spec).map((f) => f.text).join('\n')).toContain('queue-id=2');
  });

  it('refuses an out-of-range actorPortPrio in a spec', () => {
    expect(() => exportConfig('nm', { name: 'bond0', slaves: [{ name: 'eth0', actorPortPrio: 70000 }] })).toThrow(ValidationError);
  });
});

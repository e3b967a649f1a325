// What files say about bonds, one fact at a time, with where each fact came from. A bond is
// spread over several files (ifcfg-bond0 + ifcfg-eth1 + modprobe.conf + rc.local), so parsers
// only record facts here; merge.ts puts each bond together. Values are validated on the way in,
// and whatever cannot be recorded becomes a warning naming the file, the line and the key.
import type { BondOptionKey, BondOptionDef } from '../../option-table.js';
import type { BondAddressSpec, BondRouteSpec, BondSlaveSpec } from '../../plan/types.js';
import { checkAddress, checkIfname, checkMac, checkMtu, checkRoute, checkVlanId, checkVlanProtocol, type Checked, type RouteInput } from './checks.js';
import { canonicalOption, type OptionValue } from './values.js';
import { optionBySysfs } from '../../validate/words.js';

/** A NetworkManager profile UUID, which files use to name a bond (merge.ts resolves it). */
export const PROFILE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

export interface Where {
  path: string;
  line?: number;
}

export function describeWhere(where: Where): string {
  return where.line === undefined ? where.path : `${where.path}:${where.line}`;
}

/** The scalar fields of a spec that files set. */
export type FieldKey = BondOptionKey | 'up' | 'mtu' | 'mac' | 'activeSlave' | 'vlanId' | 'vlanProtocol';
export type FieldValue = OptionValue;

/**
 * `bond` names the interface the fact is about (a bond, a slave, a VLAN; for a 'vlan' fact, the
 * link the VLAN rides on), or holds a profile UUID (NetworkManager, ifcfg MASTER_UUID) that
 * merge.ts resolves through the UUIDs the bonds' own files declare.
 */
export type Fact =
  | { kind: 'declare'; bond: string; where: Where }
  | { kind: 'field'; bond: string; field: FieldKey; value: FieldValue; where: Where; weak: boolean }
  | { kind: 'slave'; bond: string; slave: BondSlaveSpec; where: Where }
  | { kind: 'address'; bond: string; address: BondAddressSpec; where: Where }
  | { kind: 'route'; bond: string; route: BondRouteSpec; where: Where }
  | { kind: 'vlan'; bond: string; vlan: string; where: Where };

/** Module parameters (`options bonding ...`): defaults for every bond the module creates. */
export interface ModuleDefault {
  field: BondOptionKey;
  value: OptionValue;
  where: Where;
}

/** Everything every file said, for merge.ts. */
export class FactSink {
  readonly facts: Fact[] = [];
  readonly moduleDefaults: ModuleDefault[] = [];
  maxBonds?: { count: number; where: Where };
  /** Profile UUID -> interface name. */
  readonly uuids = new Map<string, string>();
  readonly warnings: string[] = [];

  forFile(path: string): FileFacts {
    return new FileFacts(path, this);
  }
}

/** The facts of one file: each method validates, then records a fact or a warning. */
export class FileFacts {
  constructor(
    readonly path: string,
    private readonly sink: FactSink,
  ) {}

  private where(line: number | undefined): Where {
    return line === undefined ? { path: this.path } : { path: this.path, line };
  }

  warn(line: number | undefined, key: string | undefined, message: string): void {
    const at = describeWhere(this.where(line));
    this.sink.warnings.push(key === undefined ? `${at}: ${message}` : `${at}: ${key}: ${message}`);
  }

  unknownKey(line: number | undefined, key: string): void {
    this.warn(line, key, 'unknown key; not imported');
  }

  /** A key that is understood but has no place in a bond spec. */
  notImported(line: number | undefined, key: string, why: string): void {
    this.warn(line, key, `${why}; not imported`);
  }

  /** This interface is a bond. */
  declare(bond: string, line?: number): void {
    this.sink.facts.push({ kind: 'declare', bond, where: this.where(line) });
  }

  uuid(uuid: string, name: string): void {
    this.sink.uuids.set(uuid.toLowerCase(), name);
  }

  /** Records an option from text ("100", "active-backup", "1") or a typed value (YAML). */
  option(bond: string, def: BondOptionDef, value: unknown, line: number | undefined, key: string): void {
    const canonical = this.canonical(def, value, line, key);
    if (canonical !== undefined) this.sink.facts.push({ kind: 'field', bond, field: def.key, value: canonical, where: this.where(line), weak: false });
  }

  /** A module parameter: a default for every bond (see merge.ts). */
  moduleDefault(def: BondOptionDef, value: unknown, line: number | undefined, key: string): void {
    const canonical = this.canonical(def, value, line, key);
    if (canonical !== undefined) this.sink.moduleDefaults.push({ field: def.key, value: canonical, where: this.where(line) });
  }

  maxBonds(count: number, line: number | undefined): void {
    this.sink.maxBonds = { count, where: this.where(line) };
  }

  private canonical(def: BondOptionDef, value: unknown, line: number | undefined, key: string): OptionValue | undefined {
    try {
      return canonicalOption(def, value);
    } catch (error) {
      this.warn(line, key, `${messageOf(error)}; not imported`);
      return undefined;
    }
  }

  /** `weak`: the format's default when the file says nothing (see merge.ts). */
  up(bond: string, value: boolean, line: number | undefined, weak = false): void {
    this.sink.facts.push({ kind: 'field', bond, field: 'up', value, where: this.where(line), weak });
  }

  mtu(bond: string, text: unknown, line: number | undefined, key: string): void {
    const mtu = this.accept(checkMtu(text), line, key);
    if (mtu !== undefined) this.sink.facts.push({ kind: 'field', bond, field: 'mtu', value: mtu, where: this.where(line), weak: false });
  }

  mac(bond: string, text: string, line: number | undefined, key: string): void {
    const mac = this.accept(checkMac(text), line, key);
    if (mac !== undefined) this.sink.facts.push({ kind: 'field', bond, field: 'mac', value: mac, where: this.where(line), weak: false });
  }

  /**
   * A bonding sysfs name with its value, as BONDING_OPTS words, bond-* keys and writes to
   * /sys/class/net/BOND/bonding/ give them: active_slave, or an option.
   */
  sysfsSetting(bond: string, name: string, value: string, line: number | undefined, key: string): void {
    if (name === 'active_slave') return this.activeSlave(bond, value, line, key);
    const def = optionBySysfs(name);
    if (def === undefined) this.unknownKey(line, key);
    else this.option(bond, def, value, line, key);
  }

  activeSlave(bond: string, name: string, line: number | undefined, key: string): void {
    const slave = this.accept(checkIfname(key, name), line, key);
    if (slave !== undefined) this.sink.facts.push({ kind: 'field', bond, field: 'activeSlave', value: slave, where: this.where(line), weak: false });
  }

  slave(bond: string, name: string, line: number | undefined, key: string, extra: Omit<BondSlaveSpec, 'name'> = {}): void {
    const slave = this.accept(checkIfname(key, name), line, key);
    if (slave === undefined) return;
    if (slave === bond) {
      this.warn(line, key, `a bond cannot be its own slave (${bond}); not imported`);
      return;
    }
    this.sink.facts.push({ kind: 'slave', bond, slave: { name: slave, ...extra }, where: this.where(line) });
  }

  /** An address as "A/P", with an optional IPv4 broadcast. */
  address(bond: string, cidrText: string, broadcast: string | undefined, line: number | undefined, key: string): void {
    let checked = checkAddress(cidrText, broadcast);
    if (!checked.ok && broadcast !== undefined && checkAddress(cidrText).ok) {
      this.warn(line, key, `${checked.error}; the address is imported without it`);
      checked = checkAddress(cidrText);
    }
    const address = this.accept(checked, line, key)?.address;
    if (address !== undefined) this.sink.facts.push({ kind: 'address', bond, address, where: this.where(line) });
  }

  /** A route through the bond; false (after a warning) when it cannot be recorded. */
  route(bond: string, input: RouteInput, line: number | undefined, key: string): boolean {
    const checked = checkRoute(input);
    if (!checked.ok) {
      this.warn(line, key, `route ${input.destination}: ${checked.error}; not imported`);
      return false;
    }
    this.sink.facts.push({ kind: 'route', bond, route: checked.value.route, where: this.where(line) });
    return true;
  }

  /**
   * `vlan` rides on `parent` (a bond, or the UUID of its profile). The VLAN's own settings (id,
   * protocol, up, MTU, addresses, routes) are facts about `vlan`, from any file.
   */
  vlan(parent: string, vlan: string, line: number | undefined, key: string): void {
    const name = this.accept(checkIfname(key, vlan), line, key);
    const link = PROFILE_UUID.test(parent) ? parent : this.accept(checkIfname(key, parent), line, key);
    if (name !== undefined && link !== undefined) this.sink.facts.push({ kind: 'vlan', bond: link, vlan: name, where: this.where(line) });
  }

  /** `weak`: the id the name carries (bond0.100), which an explicit id overrides. */
  vlanId(vlan: string, input: unknown, line: number | undefined, key: string, weak = false): void {
    const id = this.accept(checkVlanId(input), line, key);
    if (id !== undefined) this.sink.facts.push({ kind: 'field', bond: vlan, field: 'vlanId', value: id, where: this.where(line), weak });
  }

  vlanProtocol(vlan: string, input: unknown, line: number | undefined, key: string): void {
    const protocol = this.accept(checkVlanProtocol(input), line, key);
    if (protocol !== undefined) this.sink.facts.push({ kind: 'field', bond: vlan, field: 'vlanProtocol', value: protocol, where: this.where(line), weak: false });
  }

  private accept<T>(checked: Checked<T>, line: number | undefined, key: string): T | undefined {
    if (checked.ok) return checked.value;
    this.warn(line, key, `${checked.error}; not imported`);
    return undefined;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

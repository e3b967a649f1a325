// The one rule for probes: a Probe object from the API or a spec file, and the CLI's words
// (gateway, ping:ADDR, arp:ADDR[@DEV], tcp:HOST:PORT, tcp:[V6]:PORT) turned into the same objects.
import { ValidationError } from '../errors.js';
import { checkKeys } from '../validate/keys.js';
import { validateIfname } from '../validate/names.js';
import { canonicalIp, validateIp } from '../validate/net.js';
import { validateInteger } from '../validate/values.js';
import type { Probe } from './types.js';

export const MAX_PROBE_TIMEOUT_MS = 60_000;
export const MAX_PROBE_RETRIES = 100;
/** At most this many probes per transaction: each may hold the bonds' locks for minutes. */
export const MAX_PROBES = 32;
const TIMING_KEYS = ['timeout', 'retries'];
const KEYS: Record<Probe['kind'], string[]> = {
  gateway: ['kind', 'family', ...TIMING_KEYS],
  ping: ['kind', 'address', ...TIMING_KEYS],
  arp: ['kind', 'address', 'dev', ...TIMING_KEYS],
  tcp: ['kind', 'host', 'port', ...TIMING_KEYS],
};
const KINDS = Object.keys(KEYS);
/** A host name as the resolver takes it (RFC 1123 labels), or an IP literal. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/iu;

function validateHost(value: unknown, bond?: string): string {
  if (typeof value === 'string' && (canonicalIp(value) !== undefined || HOST_NAME.test(value))) return canonicalIp(value) ?? value;
  throw new ValidationError({ option: 'probe host', value, allowed: 'an IPv4 or IPv6 address or a host name', bond });
}

/** A probe checked and in canonical form (addresses canonical, defaults left unset). */
export function validateProbe(value: unknown, bond?: string): Probe {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (typeof value !== 'object' || value === null || typeof kind !== 'string' || !KINDS.includes(kind)) {
    throw new ValidationError({ option: 'probe', value, allowed: `a probe object with kind ${KINDS.map((k) => `'${k}'`).join(', ')}`, bond });
  }
  checkKeys(value, KEYS[kind as Probe['kind']], bond);
  const given = value as Probe;
  const timing = {
    ...(given.timeout === undefined ? {} : { timeout: validateInteger('probe timeout', given.timeout, 1, MAX_PROBE_TIMEOUT_MS, bond) }),
    ...(given.retries === undefined ? {} : { retries: validateInteger('probe retries', given.retries, 0, MAX_PROBE_RETRIES, bond) }),
  };
  switch (given.kind) {
    case 'gateway':
      if (given.family !== undefined && given.family !== 4 && given.family !== 6) throw new ValidationError({ option: 'probe family', value: given.family, allowed: '4 or 6', bond });
      return { kind: 'gateway', ...(given.family === undefined ? {} : { family: given.family }), ...timing };
    case 'ping': {
      const address = typeof given.address === 'string' ? canonicalIp(given.address) : undefined;
      if (address === undefined) throw new ValidationError({ option: 'probe address', value: given.address, allowed: 'an IPv4 or IPv6 address', bond });
      return { kind: 'ping', address, ...timing };
    }
    case 'arp':
      return { kind: 'arp', address: validateIp('probe address', given.address, 4, bond), ...(given.dev === undefined ? {} : { dev: validateIfname('probe dev', given.dev, bond) }), ...timing };
    case 'tcp':
      return { kind: 'tcp', host: validateHost(given.host, bond), port: validateInteger('probe port', given.port, 1, 65535, bond), ...timing };
  }
}

export function validateProbes(value: unknown, bond?: string): Probe[] {
  if (!Array.isArray(value) || value.length > MAX_PROBES) throw new ValidationError({ option: 'probes', value, allowed: `an array of at most ${MAX_PROBES} probes`, bond });
  return value.map((probe) => validateProbe(probe, bond));
}

export const PROBE_WORD_ALLOWED = 'gateway, gateway6, ping:ADDRESS, arp:ADDRESS[@DEV], tcp:HOST:PORT or tcp:[IPV6]:PORT';

/** A probe as the CLI's --probe takes it. */
export function parseProbeWord(word: string): Probe {
  const refuse = (): never => {
    throw new ValidationError({ option: '--probe', value: word, allowed: PROBE_WORD_ALLOWED });
  };
  if (word === 'gateway') return { kind: 'gateway' };
  if (word === 'gateway6') return { kind: 'gateway', family: 6 };
  const colon = word.indexOf(':');
  if (colon < 0) return refuse();
  const kind = word.slice(0, colon);
  const rest = word.slice(colon + 1);
  if (kind === 'ping') return validateProbe({ kind, address: rest });
  if (kind === 'arp') {
    const [address, dev, extra] = rest.split('@');
    if (extra !== undefined) return refuse();
    return validateProbe({ kind, address, ...(dev === undefined ? {} : { dev }) });
  }
  if (kind === 'tcp') {
    const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/u.exec(rest);
    if (!match) return refuse();
    return validateProbe({ kind, host: match[1] ?? match[2], port: Number(match[3]) });
  }
  return refuse();
}

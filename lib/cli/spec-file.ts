// The spec files `netbond apply` and `export --spec` read: one BondSpec, or `bonds: [BondSpec, ...]`
// applied as one transaction. YAML or JSON (by the .json suffix; `-` is standard input, read as
// YAML, of which JSON is a part); the specs themselves are validated by the API they go to.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ValidationError } from '../errors.js';
import type { BondSpec } from '../plan/types.js';

const ALLOWED = 'a YAML or JSON BondSpec, or { bonds: [BondSpec, ...] }';

/** The specs in a file, and whether it listed several (`bonds:`). */
export async function readSpecFile(file: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<{ specs: BondSpec[]; several: boolean }> {
  const text = file === '-' ? await readBounded(stdin) : await readFile(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ValidationError({ option: 'FILE', value: file, allowed: ALLOWED, message: `cannot parse ${file}: ${(error as Error).message}` });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ValidationError({ option: 'FILE', value: file, allowed: ALLOWED, message: `${file} is not ${ALLOWED}` });
  if (!Object.hasOwn(parsed, 'bonds')) return { specs: [parsed as BondSpec], several: false };
  const { bonds, ...rest } = parsed as { bonds: unknown };
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw new ValidationError({ option: extra, value: extra, allowed: ALLOWED, message: `${file}: unknown key '${extra}' beside bonds (${ALLOWED})` });
  if (!Array.isArray(bonds) || bonds.length === 0) throw new ValidationError({ option: 'bonds', value: bonds, allowed: 'a non-empty list of BondSpec', message: `${file}: bonds must be a non-empty list of BondSpec` });
  return { specs: bonds as BondSpec[], several: true };
}

/** A spec is a few kilobytes; a stream that goes on past this is not one (and must not fill memory). */
const MAX_SPEC_BYTES = 4 * 1024 * 1024;

async function readBounded(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += buffer.length;
    if (size > MAX_SPEC_BYTES) throw new ValidationError({ option: 'FILE', value: '-', allowed: ALLOWED, message: `standard input holds more than ${MAX_SPEC_BYTES} bytes; not a spec` });
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A file with exactly one spec (export --spec). */
export async function readOneSpec(file: string): Promise<BondSpec> {
  const { specs, several } = await readSpecFile(file);
  if (several) throw new ValidationError({ option: 'FILE', value: file, allowed: 'one BondSpec', message: `${file} lists several bonds; export takes one` });
  return specs[0] as BondSpec;
}

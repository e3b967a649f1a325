// The spec files `netbond apply` and `export --spec` read: one BondSpec, or `bonds: [BondSpec, ...]`
// applied as one transaction. YAML or JSON (by the .json suffix); the specs themselves are
// validated by the API they go to.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ValidationError } from '../errors.js';
import type { BondSpec } from '../declarative/types.js';

const ALLOWED = 'a YAML or JSON BondSpec, or { bonds: [BondSpec, ...] }';

/** The specs in a file, and whether it listed several (`bonds:`). */
export async function readSpecFile(file: string): Promise<{ specs: BondSpec[]; several: boolean }> {
  const text = await readFile(file, 'utf8');
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

/** A file with exactly one spec (export --spec). */
export async function readOneSpec(file: string): Promise<BondSpec> {
  const { specs, several } = await readSpecFile(file);
  if (several) throw new ValidationError({ option: 'FILE', value: file, allowed: 'one BondSpec', message: `${file} lists several bonds; export takes one` });
  return specs[0] as BondSpec;
}

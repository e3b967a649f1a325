// What every format's tests share: the trunk host's fixture files of a format, and the round trip
// spec -> files -> spec -> files -> spec that must give the spec back and the same files again.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { exportConfig, importConfigs, type ConfigFile, type ExportFormat } from '../../../lib/formats/index.js';
import type { BondSpec } from '../../../lib/plan/types.js';

const VLAN_FIXTURES = fileURLToPath(new URL('../../fixtures/configs/vlans/', import.meta.url));

/** The trunk host's files in `format`, named "format/file" so warnings stay short. */
export function hostFiles(format: ExportFormat): ConfigFile[] {
  return readdirSync(`${VLAN_FIXTURES}${format}`)
    .sort()
    .map((name) => ({ path: `${format}/${name}`, text: readFileSync(`${VLAN_FIXTURES}${format}/${name}`, 'utf8') }));
}

/** Warnings about files (they start with the file's path), not about the merged bonds. */
export const fileWarnings = (warnings: string[]) => warnings.filter((w) => w.startsWith('/'));

/**
 * Writes `spec` in `format` and reads it back (no warning, the same spec), writes that again and
 * reads it again: the spec and the files come out the same the second time. Returns the files.
 * `specWarnings`: a spec that sets every option may hold what the kernel would refuse together;
 * only warnings about the files count then.
 */
export function expectRoundTrip(format: ExportFormat, spec: BondSpec, { specWarnings = false } = {}): ConfigFile[] {
  const first = importConfigs(exportConfig(format, spec));
  expect(specWarnings ? fileWarnings(first.warnings) : first.warnings).toEqual([]);
  expect(first.specs).toEqual([spec]);
  const files = exportConfig(format, first.specs[0] as BondSpec);
  const second = importConfigs(files);
  expect(second.specs).toEqual(first.specs);
  expect(exportConfig(format, second.specs[0] as BondSpec)).toEqual(files);
  return files;
}

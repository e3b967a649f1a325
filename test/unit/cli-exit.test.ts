// The CLI's exit-status contract and its JSON error line (what the Ansible modules read), and
// specs from standard input, without a kernel.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BondError, ValidationError } from '../../lib/errors.js';
import { ApplyError } from '../../lib/declarative/apply.js';
import { main } from '../../lib/cli/main.js';
import { failureOf, EXIT } from '../../lib/cli/exit.js';
import { readSpecFile } from '../../lib/cli/spec-file.js';

const STEP = { kind: 'set-option' as const, description: 'set mode 802.3ad on bond0', reason: 'mode is balance-rr, wanted 802.3ad' };
const refused = new BondError({ errnum: 22, syscall: 'newlink', action: 'set mode', bond: 'bond0', option: 'mode', kernelMessage: 'unable to set option' });

describe('exit status', () => {
  it('is 2 for validation, 1 for a change that failed and was rolled back, 3 when the rollback did not complete', () => {
    expect(failureOf(new ValidationError({ option: 'miimon', value: -1, allowed: 'a number', bond: 'bond0' }))).toMatchObject({ exitCode: EXIT.usage, report: { name: 'ValidationError', code: 'EINVAL', bond: 'bond0', option: 'miimon' } });
    expect(failureOf(new ApplyError('bond0', STEP, refused, [], 12))).toMatchObject({ exitCode: EXIT.failed, report: { name: 'ApplyError', failedStep: STEP, rolledBack: true, rollbackErrors: [] } });
    const incomplete = failureOf(new ApplyError('bond0', STEP, refused, [new Error('eth1 is gone')]));
    expect(incomplete).toMatchObject({ exitCode: EXIT.rollbackIncomplete, report: { rolledBack: false, rollbackErrors: ['eth1 is gone'] } });
    expect(failureOf(refused)).toMatchObject({ exitCode: EXIT.failed, report: { code: 'EINVAL', kernelMessage: 'unable to set option' } });
  });

  it('prints one JSON error line on stderr with --json, after the line for people', async () => {
    const err: string[] = [];
    const code = await main(['--json', 'create', 'bond0', 'miimom=1'], { out: () => undefined, err: (t) => err.push(t) });
    expect(code).toBe(2);
    expect(err[0]).toMatch(/^netbond: Unknown bond option 'miimom'/u);
    expect(JSON.parse(err[1] as string)).toEqual({ error: expect.objectContaining({ name: 'ValidationError', code: 'EINVAL', option: 'miimom' }), exitCode: 2 });
    const plain: string[] = [];
    expect(await main(['create', 'bond0', 'miimom=1'], { out: () => undefined, err: (t) => plain.push(t) })).toBe(2);
    expect(plain).toHaveLength(1);
  });
});

describe('specs from standard input', () => {
  it('reads YAML or JSON from -', async () => {
    expect(await readSpecFile('-', Readable.from(['{"name": "bond0", "mode": "802.3ad"}']))).toEqual({ specs: [{ name: 'bond0', mode: '802.3ad' }], several: false });
    expect(await readSpecFile('-', Readable.from(['bonds:\n  - name: bond0\n  - name: bond1\n']))).toMatchObject({ several: true });
  });

  it('refuses a stream larger than any spec rather than filling memory', async () => {
    const endless = Readable.from((function* () {
      for (;;) yield Buffer.alloc(1024 * 1024, 0x20);
    })());
    await expect(readSpecFile('-', endless)).rejects.toThrow(/standard input holds more than 4194304 bytes/u);
  });
});

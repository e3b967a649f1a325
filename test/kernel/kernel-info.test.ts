// Records, in the test output, which kernel the kernel suite ran on and that it has bonding.
import { readFile } from 'node:fs/promises';
import { release } from 'node:os';
import { describe, expect, it } from 'vitest';

describe('the test bed', () => {
  it('runs inside a kernel with the bonding driver', async () => {
    const inUml = process.env.NETBOND_IN_UML === '1';
    const addon = process.env.NETBOND_ADDON ? `, addon ${process.env.NETBOND_ADDON}` : '';
    console.log(`kernel suite running on Linux ${release()}${inUml ? ' (User-Mode Linux)' : ''}${addon}`);
    const masters = await readFile('/sys/class/net/bonding_masters', 'utf8');
    expect(typeof masters).toBe('string');
  });
});

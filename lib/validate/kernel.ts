// Kernel versions: what the running kernel is, and comparisons against the version an option
// or value first appeared in. A namespace shares its host's kernel.
import { release } from 'node:os';
import type { KernelVersion } from '../option-table.js';

export function kernelVersionOf(release: string): KernelVersion {
  const match = /^(\d+)\.(\d+)/u.exec(release);
  return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}

export function atLeast(version: KernelVersion, wanted: KernelVersion): boolean {
  return version[0] > wanted[0] || (version[0] === wanted[0] && version[1] >= wanted[1]);
}

export const formatVersion = (v: KernelVersion) => `${v[0]}.${v[1]}`;


/** The running kernel's version. */
export const runningKernel: KernelVersion = kernelVersionOf(release());

// deleteBond: refuses a link that is not a bond; the kernel releases the slaves and leaves them down.
import { resolveCall, type CallOptions } from '../call/options.js';
import { validateIfname } from '../validate/names.js';
import { backendOf } from '../backends/backend-of.js';

/** Deletes a bond; its slaves are released (and left down, as the kernel leaves them). */
export async function deleteBond(name: string, opts: CallOptions = {}): Promise<void> {
  validateIfname('name', name);
  const { netns, backend } = resolveCall(opts, name);
  await backendOf(backend).deleteBond(netns, name);
}

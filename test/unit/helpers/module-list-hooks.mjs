// Loader hooks (module.register) that append every module URL resolved to a file, one a line:
// which modules a command loads, for cli-start.test.ts. Written synchronously from the hooks
// thread, so none is missing when the process exits.
import { appendFileSync } from 'node:fs';

let file;

export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(file, `${result.url}\n`);
  return result;
}

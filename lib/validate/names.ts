// Interface-name and namespace validation, done before any syscall. The rules are the kernel's
// dev_valid_name(): 1-15 bytes, not "." or "..", no '/', ':' or whitespace.
import { ValidationError } from '../errors.js';

const IFNAMSIZ = 16;

export function validateIfname(option: string, value: unknown, bond?: string): string {
  const allowed = 'an interface name of 1-15 bytes without "/", ":" or whitespace';
  if (typeof value !== 'string') throw new ValidationError({ option, value, allowed, bond });
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes === 0 || bytes >= IFNAMSIZ || value === '.' || value === '..' || /[/:\s\0]/u.test(value)) {
    throw new ValidationError({ option, value, allowed, bond });
  }
  return value;
}

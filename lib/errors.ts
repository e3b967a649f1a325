// The error classes of netbond, in Node's SystemError shape (negative errno, code, syscall) plus
// what the kernel said and which bond, slave and option were involved.
import { constants } from 'node:os';

const errnoNames: ReadonlyMap<number, string> = new Map(
  Object.entries(constants.errno).map(([name, value]) => [value, name]),
);

/** The symbolic name of a positive errno value, such as 'EBUSY'. */
export function errnoCode(errnum: number): string {
  return errnoNames.get(errnum) ?? `E${errnum}`;
}

export interface BondErrorDetails {
  /** Positive errno value; stored negated in `errno`, as Node's SystemError does. */
  errnum: number;
  /** What failed: 'netlink', 'setns', 'open netns', 'validate', ... */
  syscall: string;
  /** The kernel's extended-ack text (NLMSGERR_ATTR_MSG), when it sent one. */
  kernelMessage?: string;
  /** What netbond was doing, e.g. 'enslave eth0 -> bond0'. */
  action: string;
  /** The file, for sysfs and procfs operations. */
  path?: string;
  bond?: string;
  slave?: string;
  option?: string;
  /** Extra words after the kernel's message: a rule, a remedy. */
  hint?: string;
}

/** The kernel or the OS refused an operation, or netbond refused it on the kernel's rules. */
export class BondError extends Error {
  readonly code: string;
  readonly errno: number;
  readonly syscall: string;
  readonly kernelMessage?: string;
  readonly action: string;
  readonly path?: string;
  readonly bond?: string;
  readonly slave?: string;
  readonly option?: string;

  constructor(details: BondErrorDetails) {
    const code = errnoCode(details.errnum);
    const what = details.kernelMessage ?? details.hint ?? errnoText(details.errnum);
    const extra = details.kernelMessage && details.hint ? `; ${details.hint}` : '';
    super(`${code}: ${what}${extra} (${details.action})`);
    this.name = 'BondError';
    this.code = code;
    this.errno = -details.errnum;
    this.syscall = details.syscall;
    this.kernelMessage = details.kernelMessage;
    this.action = details.action;
    this.path = details.path;
    this.bond = details.bond;
    this.slave = details.slave;
    this.option = details.option;
  }
}

export interface ValidationErrorDetails {
  option: string;
  value: unknown;
  /** What is allowed, in words: 'integer between 0 and 255', "one of 'slow', 'fast'". */
  allowed: string;
  bond?: string;
  /** The slave the value does not fit (a bond's MTU above what its driver takes). */
  slave?: string;
  /** A full message, when the template below does not fit (conflicting options). */
  message?: string;
}

/**
 * Bad input, refused before any syscall. It has code EINVAL so callers that only look at
 * `code` treat it like the kernel's own EINVAL.
 */
export class ValidationError extends BondError {
  readonly value: unknown;
  readonly allowed: string;

  constructor(details: ValidationErrorDetails) {
    const forBond = details.bond === undefined ? '' : ` of bond ${details.bond}`;
    const message =
      details.message ??
      `Expected ${details.allowed} for ${details.option}${forBond} but received ${formatValue(details.value)}`;
    super({
      errnum: constants.errno.EINVAL,
      syscall: 'validate',
      action: 'validate',
      hint: message,
      bond: details.bond,
      slave: details.slave,
      option: details.option,
    });
    this.name = 'ValidationError';
    this.message = message;
    this.value = details.value;
    this.allowed = details.allowed;
  }
}

export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined || value === null || typeof value !== 'object') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EIO: 'Input/output error',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  ENODEV: 'No such device',
  EINVAL: 'Invalid argument',
  EACCES: 'Permission denied',
  ENOTEMPTY: 'Directory not empty',
  EOPNOTSUPP: 'Operation not supported',
  ETIMEDOUT: 'Connection timed out',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ERANGE: 'Numerical result out of range',
  EBADMSG: 'Bad message',
  EINTR: 'Interrupted system call',
};

/** The C library's text for an errno, such as 'Device or resource busy'. */
export function errnoText(errnum: number): string {
  return ERRNO_TEXT[errnoCode(errnum)] ?? `errno ${errnum}`;
}

export interface NotABondDetails {
  bond: string;
  action: string;
  syscall: string;
  /** The link's kind, when the reader knows it; null for a link without one. */
  kind?: string | null;
  /** What netbond will not do to it: 'delete it'. */
  refusing?: string;
}

/** The one refusal for a name that is a link but not a bond, from either backend. */
export function notABondError(details: NotABondDetails): BondError {
  const kind = details.kind === undefined ? '' : ` (kind ${details.kind ?? 'none'})`;
  const refusing = details.refusing === undefined ? '' : `; refusing to ${details.refusing}`;
  return new BondError({
    errnum: constants.errno.EINVAL,
    syscall: details.syscall,
    action: details.action,
    bond: details.bond,
    hint: `${details.bond} is not a bond${kind}${refusing}`,
  });
}

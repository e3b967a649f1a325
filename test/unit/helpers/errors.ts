// The ValidationError a call throws, for tests that look at its fields; fails the test when the
// call throws nothing or something else.
import { expect } from 'vitest';
import { ValidationError } from '../../../lib/errors.js';

export function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

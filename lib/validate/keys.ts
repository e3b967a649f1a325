// Unknown keys in an options object are refused, with the nearest known key as a suggestion.
import { ValidationError } from '../errors.js';

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] as number;
}

function unknownKey(key: string, allowedKeys: readonly string[], bond?: string): ValidationError {
  const near = allowedKeys
    .map((k) => ({ k, d: levenshtein(key.toLowerCase(), k.toLowerCase()) }))
    .filter(({ d }) => d <= 3)
    .sort((x, y) => x.d - y.d)[0];
  const hint = near ? `; did you mean '${near.k}'?` : '';
  return new ValidationError({
    option: key,
    value: key,
    allowed: `one of ${allowedKeys.join(', ')}`,
    bond,
    message: `Unknown option '${key}'${bond === undefined ? '' : ` for bond ${bond}`}${hint} Known options: ${allowedKeys.join(', ')}`,
  });
}

/** Rejects keys outside `allowed`, with a suggestion for a misspelling. */
export function checkKeys(input: object, allowed: readonly string[], bond?: string): void {
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) throw unknownKey(key, allowed, bond);
  }
}


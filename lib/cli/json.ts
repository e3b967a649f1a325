// Values as JSON text for --json: indented for a command's result, one line for a watch event;
// bigints (watch timestamps) as decimal strings, which JSON.stringify cannot write by itself.
const bigintAsString = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

/** A command's result, indented two spaces. */
export const jsonText = (value: unknown): string => JSON.stringify(value, bigintAsString, 2);

/** One JSON line (`netbond watch --json`). */
export const jsonLine = (value: unknown): string => JSON.stringify(value, bigintAsString);

// A value as YAML text for `netbond import` and `netbond export spec`, in a module of its own so
// that only those commands load the YAML library.
import { stringify } from 'yaml';

export function toYamlText(value: unknown): string {
  return stringify(value).trimEnd();
}

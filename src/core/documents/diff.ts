// What changed between two versions: the inputs key by key (cameras matched by id), and the text line by line.
import { createTwoFilesPatch } from 'diff';

export interface Change {
  path: string;
  change: 'added' | 'removed' | 'changed';
  from?: unknown;
  to?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const keyed = (list: unknown[]): Map<string, unknown> | undefined =>
  list.every((x) => isObject(x) && typeof x.id === 'string') ? new Map(list.map((x) => [(x as { id: string }).id, x])) : undefined;

/** Differences between two input objects, as key paths (`cameras[gym].location`, `retention.surveillance`). */
export function diffInputs(a: unknown, b: unknown, at = ''): Change[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a === undefined) return [{ path: at, change: 'added', to: b }];
  if (b === undefined) return [{ path: at, change: 'removed', from: a }];
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffInputs(a[k], b[k], at ? `${at}.${k}` : k));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const ka = keyed(a);
    const kb = keyed(b);
    if (ka && kb) {
      const ids = [...new Set([...ka.keys(), ...kb.keys()])];
      return ids.flatMap((id) => diffInputs(ka.get(id), kb.get(id), `${at}[${id}]`));
    }
  }
  return [{ path: at, change: 'changed', from: a, to: b }];
}

/** A unified diff of two texts. */
export function diffText(a: string, b: string, nameA: string, nameB: string): string {
  return createTwoFilesPatch(nameA, nameB, a, b, '', '', { context: 2 });
}

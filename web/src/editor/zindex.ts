// Fractional indexing for the `z` prop: keys are base-62 strings compared as ordinal strings, so a key between any
// two keys always exists and reordering one object never rewrites the others.
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Four digits leave room for millions of appends (new shapes, bring to front) before keys grow. */
const FIRST = 'V000';

/** A key strictly between `a` and `b` (either may be missing: before everything / after everything). */
export function keyBetween(a: string | undefined, b: string | undefined): string {
  if (a !== undefined && b !== undefined && a >= b) throw new Error(`keyBetween: ${a} >= ${b}`);
  if (a === undefined && b === undefined) return FIRST;
  if (a !== undefined && b === undefined) return increment(a);
  const lo = a ?? '';
  let key = '';
  for (let i = 0; ; i++) {
    const da = i < lo.length ? DIGITS.indexOf(lo[i]) : 0;
    const db = b !== undefined && i < b.length && b.startsWith(key) ? DIGITS.indexOf(b[i]) : DIGITS.length;
    if (db - da > 1) {
      const mid = key + DIGITS[Math.floor((da + db) / 2)];
      if ((a === undefined || mid > a) && (b === undefined || mid < b)) return mid;
    }
    key += DIGITS[da];
  }
}

/** The next key after `key`: add one in base 62; when every digit is at its top, grow by one digit. */
function increment(key: string): string {
  const digits = [...key].map(c => DIGITS.indexOf(c));
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i] < DIGITS.length - 1) {
      digits[i]++;
      return digits.slice(0, i + 1).map(d => DIGITS[d]).join('') + key.slice(i + 1).replace(/./g, '0');
    }
  }
  return `${key}V`;
}

/** Two `z` values (a missing one first) as ordinal strings: never by locale, which would put `V00a` below `V00B`. */
export function compareZ(a: unknown, b: unknown): number {
  const za = typeof a === 'string' ? a : '', zb = typeof b === 'string' ? b : '';
  return za < zb ? -1 : za > zb ? 1 : 0;
}

export interface Stacked { id: string; type: string; z?: unknown }

/** The stacking order, bottom first, as the screen and every export draw it: frames first, then by `z`, ties by id. */
export function compareStacking(a: Stacked, b: Stacked): number {
  return (a.type === 'frame' ? 0 : 1) - (b.type === 'frame' ? 0 : 1) || compareZ(a.z, b.z) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

// Per-object history in words: an object's changes grouped as a person made them (a drag writes a batch per pointer
// move), each as "prop: before → after" lines, values written as a person reads them. Pure, so that Vitest checks it
// (web/test/playback.test.ts).
import type { PropValue } from '../../sync/protocol';
import type { ObjectChange, PropChange } from './historyApi';

/** Changes by the same person this close together (ms) are one entry: a drag, a resize, a drawing gesture. */
export const GROUP_WITHIN_MS = 60_000;

/** One entry of the list: one change or several in a row by the same person; `seq` and `at` are the last one's. */
export interface ChangeGroup extends ObjectChange { count: number }

/**
 * Folds the server's list (newest first) into entries, newest first: a change follows the entry before it when it is
 * by the same person, within GROUP_WITHIN_MS, in the same version, and that entry was not a deletion. A prop's
 * `before` is its value before the first change of the entry, `after` after the last; a prop that came back to
 * where it was is left out.
 */
export function groupChanges(newestFirst: readonly ObjectChange[]): ChangeGroup[] {
  const groups: ChangeGroup[] = [];
  for (let i = newestFirst.length - 1; i >= 0; i--) {
    const change = newestFirst[i];
    const last = groups[groups.length - 1];
    if (last && change.kind === 'changed' && last.kind !== 'deleted' && last.actor === change.actor && close(last.at, change.at)
      && (last.version?.id ?? null) === (change.version?.id ?? null)) {
      for (const { prop, before, after } of change.changes) {
        const known = last.changes.find(c => c.prop === prop);
        if (known) known.after = after;
        else last.changes.push({ prop, before, after });
      }
      last.changes = last.changes.filter(c => !same(c.before, c.after));
      last.seq = change.seq;
      last.at = change.at;
      last.count++;
    } else {
      groups.push({ ...change, changes: change.changes.map((c): PropChange => ({ ...c })), count: 1 });
    }
  }
  return groups.reverse();
}

const close = (a: string | null, b: string | null) => a !== null && b !== null && Math.abs(Date.parse(b) - Date.parse(a)) <= GROUP_WITHIN_MS;
const same = (a: PropValue | null, b: PropValue | null) => JSON.stringify(a) === JSON.stringify(b);

/** A value as the history shows it: numbers to two decimals, texts quoted (and shortened), points counted, bindings named. */
export function describeValue(value: PropValue | null): string {
  if (value === null) return '—';
  if (typeof value === 'number') return String(Math.round(value * 100) / 100);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value.length > 40 ? JSON.stringify(value.slice(0, 39) + '…') : JSON.stringify(value);
  if (Array.isArray(value)) return `${value.length / 2} points`;
  return `bound to ${value.id}`;
}

/**
 * One line per prop: "x: 100 → 140" for a change, "fill: "#fa5252"" for a creation, "fill: was "#fa5252"" for a
 * deletion. `z` is a sort key no person reads ("a0V"): a change of it says the object moved in the stacking order, and
 * a creation or deletion leaves it out.
 */
export function describeChanges(change: Pick<ObjectChange, 'kind' | 'changes'>): string[] {
  return change.changes.filter(({ prop }) => prop !== 'z' || change.kind === 'changed').map(({ prop, before, after }) => {
    if (prop === 'z') return 'moved in the stacking order';
    if (change.kind === 'created') return `${prop}: ${describeValue(after)}`;
    if (change.kind === 'deleted') return `${prop}: was ${describeValue(before)}`;
    return `${prop}: ${describeValue(before)} → ${describeValue(after)}`;
  });
}

/** "Alice changed", "Bob created", "Someone deleted" (an account since deleted). */
export function describeAuthor(change: Pick<ObjectChange, 'kind' | 'actorName'>): string {
  return `${change.actorName ?? 'Someone'} ${change.kind}`;
}

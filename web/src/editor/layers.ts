// Lock: a locked object stays where it is drawn but the canvas does not take it: a press on it is a press on what is
// behind it (the background starts a marquee), a marquee and Select all leave it out, and no drag, handle, nudge or
// alignment moves it. It can still be selected in the layers panel (to unlock it, rename it, reorder it).
import type { CanvasModel } from '../sync/model';
import type { CanvasObject, Op } from '../sync/protocol';

export const isLocked = (obj: CanvasObject | undefined): boolean => obj?.locked === true;

/** The ids of `ids` that the canvas may move: those not locked. */
export const movable = (model: CanvasModel, ids: readonly string[]): string[] => ids.filter(id => !isLocked(model.get(id)));

/**
 * Locks every object of `ids` when any is unlocked, otherwise unlocks them all (as Figma's Ctrl+Shift+L); with none,
 * unlocks every locked object (the canvas cannot select a locked one to unlock it).
 */
export function toggleLockOps(model: CanvasModel, ids: readonly string[]): Op[] {
  if (ids.length === 0) ids = [...model.entries()].filter(([, obj]) => isLocked(obj)).map(([id]) => id);
  const lock = ids.some(id => !isLocked(model.get(id)));
  return ids.filter(id => model.has(id)).map(id => ({ op: 'put' as const, id, props: { locked: lock ? true : null } }));
}

// Visibility: a hidden object (`hidden: true`, docs/protocol.md) stays in the document but is not drawn, so the canvas
// cannot take it either: no press, marquee, binding or Select all finds it, and PNG and SVG exports leave it out. A
// hidden frame hides what it holds. The layers panel's eye shows and hides; its row stays there, dimmed.
import type { CanvasModel } from '../sync/model';
import type { CanvasObject, Op } from '../sync/protocol';

/** Whether the object is hidden itself, or inside a hidden frame (at any depth). */
export function isHidden(model: CanvasModel, obj: CanvasObject | undefined): boolean {
  // The model keeps frames free of cycles (model.ts), so the walk up ends.
  for (let o = obj; o; o = typeof o.parentId === 'string' ? model.get(o.parentId) : undefined)
    if (o.hidden === true) return true;
  return false;
}

/** The ids of `ids` that the canvas shows. */
export const shown = (model: CanvasModel, ids: Iterable<string>): string[] => [...ids].filter(id => !isHidden(model, model.get(id)));

/** Hides every object of `ids` when any is shown, otherwise shows them all (one change: one undo step). */
export function toggleHiddenOps(model: CanvasModel, ids: readonly string[]): Op[] {
  const present = ids.filter(id => model.has(id));
  const hide = present.some(id => model.get(id)!.hidden !== true);
  return present.map(id => ({ op: 'put' as const, id, props: { hidden: hide ? true : null } }));
}

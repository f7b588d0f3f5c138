// Questions about the document's structure that tools and commands ask: stacking range, frames and what is inside
// them; and the stacking and nudging changes built from the answers. Pure: tested in web/test/structure.test.ts.
import type { CanvasModel } from '../sync/model';
import type { Op } from '../sync/protocol';
import { compareZ, keyBetween } from './zindex';
import { isHidden } from './visibility';

const round = (n: number) => Math.round(n * 100) / 100;

/** The highest and lowest `z` of the document. */
export function zRange(doc: CanvasModel): { top?: string; bottom?: string } {
  let top: string | undefined, bottom: string | undefined;
  for (const [, obj] of doc.entries()) {
    if (typeof obj.z !== 'string') continue;
    if (top === undefined || obj.z > top) top = obj.z;
    if (bottom === undefined || obj.z < bottom) bottom = obj.z;
  }
  return { top, bottom };
}

/** A `z` above every object. */
export function zTop(doc: CanvasModel): string { return keyBetween(zRange(doc).top, undefined); }

/**
 * The innermost shown frame under a canvas point, other than `except` and its descendants: what a shape drawn or
 * dropped there goes into (a hidden frame would hide it).
 */
export function frameAt(doc: CanvasModel, x: number, y: number, except?: string): string | undefined {
  let found: { id: string; area: number } | undefined;
  for (const [id, obj] of doc.entries()) {
    if (obj.type !== 'frame' || id === except || isInside(doc, id, except) || isHidden(doc, obj)) continue;
    const fx = obj.x as number ?? 0, fy = obj.y as number ?? 0, fw = obj.width as number ?? 0, fh = obj.height as number ?? 0;
    if (x >= fx && y >= fy && x <= fx + fw && y <= fy + fh && (!found || fw * fh < found.area)) found = { id, area: fw * fh };
  }
  return found?.id;
}

/** Whether `id` lies (at any depth) inside `ancestor`. */
export function isInside(doc: CanvasModel, id: string, ancestor: string | undefined): boolean {
  if (!ancestor) return false;
  for (let p = doc.get(id)?.parentId; typeof p === 'string'; p = doc.get(p)?.parentId) if (p === ancestor) return true;
  return false;
}

/** What lies inside `id` at any depth, from the model's own lists of children (a drag asks on every move). */
export function descendantsOf(doc: CanvasModel, id: string): string[] {
  const found: string[] = [];
  const visit = (parent: string) => { for (const child of doc.childrenOf(parent)) { found.push(child); visit(child); } };
  visit(id);
  return found;
}

/** New `z` keys for `ids`, in their current order, between `after` and `before`. */
export function restackOps(doc: CanvasModel, ids: readonly string[], after: string | undefined, before: string | undefined): Op[] {
  const ordered = [...ids].sort((a, b) => compareZ(doc.get(a)?.z, doc.get(b)?.z));
  let previous = after;
  const ops: Op[] = [];
  for (const id of ordered) {
    previous = keyBetween(previous, before);
    ops.push({ op: 'put', id, props: { z: previous } });
  }
  return ops;
}

/** Moves `ids` one place up or down the stacking order, past the next object that is not one of them. */
export function stepOps(doc: CanvasModel, ids: readonly string[], direction: 1 | -1): Op[] {
  const zs = [...doc.entries()].filter(([id, o]) => !ids.includes(id) && typeof o.z === 'string').map(([, o]) => o.z as string).sort();
  const mine = ids.map(id => doc.get(id)?.z).filter((z): z is string => typeof z === 'string').sort();
  if (mine.length === 0) return [];
  if (direction > 0) {
    const next = zs.findIndex(z => z > mine[mine.length - 1]);
    return next >= 0 ? restackOps(doc, ids, zs[next], zs[next + 1]) : [];
  }
  const lower = zs.filter(z => z < mine[0]);
  return lower.length > 0 ? restackOps(doc, ids, lower[lower.length - 2], lower[lower.length - 1]) : [];
}

/** Moves `ids` by (dx, dy). */
export function nudgeOps(doc: CanvasModel, ids: readonly string[], dx: number, dy: number): Op[] {
  return ids.map(id => {
    const obj = doc.get(id)!;
    return { op: 'put' as const, id, props: { x: round((obj.x as number ?? 0) + dx), y: round((obj.y as number ?? 0) + dy) } };
  });
}

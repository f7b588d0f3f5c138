// Groups beside frames: objects that carry the same `groupId` (docs/protocol.md) are one group. A press on any member
// selects them all, so a drag, a nudge, the handles and align take the group as one; Ctrl/⌘+G makes a group of the
// selection, Ctrl/⌘+Shift+G takes its objects out again. One level: grouping grouped objects regroups them all.
import type { CanvasModel } from '../sync/model';
import type { Op } from '../sync/protocol';

/** `ids` and every other member of their groups. */
export function withGroups(model: CanvasModel, ids: readonly string[]): string[] {
  const groups = new Set(ids.map(id => model.get(id)?.groupId).filter((g): g is string => typeof g === 'string'));
  if (groups.size === 0) return [...ids];
  const members = [...model.entries()].filter(([, obj]) => typeof obj.groupId === 'string' && groups.has(obj.groupId)).map(([id]) => id);
  return [...new Set([...ids, ...members])];
}

/** Puts two or more objects in one new group (`group`: its new id). */
export function groupOps(model: CanvasModel, ids: readonly string[], group: string): Op[] {
  const present = ids.filter(id => model.has(id));
  return present.length < 2 ? [] : present.map(id => ({ op: 'put' as const, id, props: { groupId: group } }));
}

/** Takes the objects out of their groups. */
export function ungroupOps(model: CanvasModel, ids: readonly string[]): Op[] {
  return ids.filter(id => typeof model.get(id)?.groupId === 'string').map(id => ({ op: 'put' as const, id, props: { groupId: null } }));
}

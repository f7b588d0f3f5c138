// Copy and paste of objects as JSON text: through the system clipboard, so also between canvases and tabs.
import type { CanvasModel } from '../sync/model';
import type { CanvasObject, Op } from '../sync/protocol';
import { compareZ, keyBetween } from './zindex';
import { asDrawn, bindingOf } from '../sync/connectors';

/** The selected objects and everything inside them, or null when nothing is selected; connectors with their ends as drawn. */
export function copyOf(model: CanvasModel, ids: string[]): Record<string, CanvasObject> | null {
  const out: Record<string, CanvasObject> = {};
  const add = (id: string) => {
    const obj = model.get(id);
    if (!obj || out[id]) return;
    out[id] = { ...asDrawn(obj, model) };
    for (const [child, o] of model.entries()) if (o.parentId === id) add(child);
  };
  ids.forEach(add);
  return Object.keys(out).length > 0 ? out : null;
}

/** Ops that create copies under new ids, offset, above everything, keeping parent links and bindings inside the copy. */
export function pasteOps(objects: Record<string, CanvasObject>, offset: number, top: string | undefined, newId: () => string): { ops: Op[]; ids: string[] } {
  const entries = Object.entries(objects).filter(([, o]) => o && typeof o === 'object' && typeof o.type === 'string');
  const ids = new Map(entries.map(([id]) => [id, newId()]));
  // Parents first, so that a child's parentId names an object that exists when it is applied.
  const depth = (id: string): number => { const p = objects[id]?.parentId; return typeof p === 'string' && ids.has(p) ? 1 + depth(p) : 0; };
  entries.sort(([a, oa], [b, ob]) => depth(a) - depth(b) || compareZ(oa.z, ob.z));
  let z = top;
  const ops: Op[] = entries.map(([id, obj]) => {
    z = keyBetween(z, undefined);
    const props: Record<string, unknown> = { ...obj, z };
    if (typeof obj.x === 'number') props.x = obj.x + offset;
    if (typeof obj.y === 'number') props.y = obj.y + offset;
    if (typeof obj.parentId === 'string') {
      if (ids.has(obj.parentId)) props.parentId = ids.get(obj.parentId);
      else delete props.parentId;
    }
    // A copied connector stays bound to copies of its shapes; bound to a shape left behind, it is drawn where copied.
    for (const end of ['startBinding', 'endBinding'] as const) {
      const binding = bindingOf(obj, end);
      if (!binding) continue;
      if (ids.has(binding.id)) props[end] = { ...binding, id: ids.get(binding.id) };
      else delete props[end];
    }
    return { op: 'put', id: ids.get(id)!, props } as Op;
  });
  const roots = entries.filter(([, o]) => !(typeof o.parentId === 'string' && ids.has(o.parentId))).map(([id]) => ids.get(id)!);
  return { ops, ids: roots };
}

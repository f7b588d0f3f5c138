// The canvas replica: the same total, deterministic apply as the server's CanvasState (Core/Model), so that
// every replica that applies the same ordered log reaches the same state.
import type { CanvasObject, Objects, Op, PropValue } from './protocol';

export const CONTAINER_TYPE = 'frame';

/** What an apply changed, object by object, in order: enough to put every object back as it was. */
export type Undo = [id: string, before: CanvasObject | undefined][];

export class CanvasModel {
  private readonly objects = new Map<string, CanvasObject>();
  private readonly children = new Map<string, Set<string>>();

  static from(objects: Objects): CanvasModel {
    const model = new CanvasModel();
    const parents: [string, string][] = [];
    for (const [id, obj] of Object.entries(objects)) {
      const { parentId, ...rest } = obj;
      model.objects.set(id, { ...rest } as CanvasObject);
      if (typeof parentId === 'string') parents.push([id, parentId]);
    }
    for (const [id, parent] of parents) model.setParent(id, model.objects.get(id)!, parent);
    return model;
  }

  get size(): number { return this.objects.size; }
  get(id: string): CanvasObject | undefined { return this.objects.get(id); }
  has(id: string): boolean { return this.objects.has(id); }
  ids(): IterableIterator<string> { return this.objects.keys(); }
  entries(): IterableIterator<[string, CanvasObject]> { return this.objects.entries(); }
  /** The ids of the objects directly inside the frame `id`. */
  childrenOf(id: string): Iterable<string> { return this.children.get(id) ?? []; }

  clone(): CanvasModel {
    return CanvasModel.from(this.toJSON());
  }

  /**
   * Applies ops in order; returns the ids whose object changed (created, updated or removed). With `undo`, records
   * each object before its first change, so that `revert` can put the model back exactly.
   */
  apply(ops: readonly Op[], undo?: Undo): Set<string> {
    const changed = new Set<string>();
    for (const op of ops) {
      if (op.op === 'delete') this.delete(op.id, changed, undo);
      else this.put(op.id, op.props, changed, undo);
    }
    return changed;
  }

  /** Undoes what an `apply` recorded; returns the ids it touched. */
  revert(undo: Undo): Set<string> {
    const touched = new Set<string>();
    for (let i = undo.length - 1; i >= 0; i--) {
      const [id, before] = undo[i];
      touched.add(id);
      const now = this.objects.get(id);
      if (now && typeof now.parentId === 'string') this.children.get(now.parentId)?.delete(id);
      if (!before) {
        this.objects.delete(id);
        continue;
      }
      this.objects.set(id, before);
      if (typeof before.parentId === 'string') {
        let siblings = this.children.get(before.parentId);
        if (!siblings) this.children.set(before.parentId, (siblings = new Set()));
        siblings.add(id);
      }
    }
    return touched;
  }

  private put(id: string, props: Record<string, PropValue | null>, changed: Set<string>, undo?: Undo): void {
    let obj = this.objects.get(id);
    if (!obj) {
      if (typeof props.type !== 'string') return;
      obj = { type: props.type } as CanvasObject;
      undo?.push([id, undefined]);
      this.objects.set(id, obj);
    } else if (undo) {
      undo.push([id, { ...obj }]);
    }
    for (const [name, value] of Object.entries(props)) {
      if (name === 'type') continue;
      if (name === 'parentId') this.setParent(id, obj, typeof value === 'string' ? value : null);
      else if (value === null) delete obj[name];
      else obj[name] = value;
    }
    changed.add(id);
  }

  private setParent(id: string, obj: CanvasObject, parentId: string | null): void {
    const current = (obj.parentId as string | undefined) ?? null;
    if (parentId === current) return;
    if (parentId !== null) {
      const parent = this.objects.get(parentId);
      if (!parent || parent.type !== CONTAINER_TYPE) return;
      for (let a: string | null = parentId; a !== null; a = (this.objects.get(a)!.parentId as string | undefined) ?? null) {
        if (a === id) return; // would make a cycle
      }
    }
    if (current !== null) this.children.get(current)?.delete(id);
    if (parentId === null) {
      delete obj.parentId;
    } else {
      obj.parentId = parentId;
      let siblings = this.children.get(parentId);
      if (!siblings) this.children.set(parentId, (siblings = new Set()));
      siblings.add(id);
    }
  }

  private delete(id: string, changed: Set<string>, undo?: Undo): void {
    const obj = this.objects.get(id);
    if (!obj) return;
    undo?.push([id, { ...obj }]);
    this.objects.delete(id);
    changed.add(id);
    if (typeof obj.parentId === 'string') this.children.get(obj.parentId)?.delete(id);
    const kids = this.children.get(id);
    this.children.delete(id);
    for (const child of kids ?? []) {
      const childObj = this.objects.get(child)!;
      undo?.push([child, { ...childObj }]);
      delete childObj.parentId;
      this.delete(child, changed, undo);
    }
  }

  /** The wire form, ids and props in sorted order (equal states give equal JSON). */
  toJSON(): Objects {
    const out: Objects = {};
    for (const id of [...this.objects.keys()].sort()) {
      const obj = this.objects.get(id)!;
      const sorted = {} as CanvasObject;
      for (const key of Object.keys(obj).sort()) (sorted as Record<string, PropValue>)[key] = obj[key];
      out[id] = sorted;
    }
    return out;
  }
}

// Undo and redo of this user's own changes, as ops through the same path as every other change (Figma's rule).
// Each step stores the ops that take the document back; a gesture (a drag, a resize, drawing a shape) is one step.
import type { CanvasModel } from '../sync/model';
import type { CanvasObject, Op, PropValue } from '../sync/protocol';

/** The ops that undo `ops`, computed against the model as it is before `ops` apply. */
export function invert(model: CanvasModel, ops: readonly Op[]): Op[] {
  // What each touched object looks like as the ops go by (undefined: missing), starting from the model.
  const current = new Map<string, CanvasObject | undefined>();
  const get = (id: string): CanvasObject | undefined => {
    if (current.has(id)) return current.get(id);
    const obj = model.get(id);
    return obj && { ...obj };
  };
  const inverse: Op[] = [];
  for (const op of ops) {
    const before = get(op.id);
    if (op.op === 'delete') {
      if (!before) continue;
      // Recreate it and everything inside it, parents first.
      const ids = new Set([...model.ids(), ...current.keys()]);
      const subtree = [op.id, ...descendants(ids, get, op.id)];
      inverse.unshift(...subtree.map(id => ({ op: 'put' as const, id, props: { ...(id === op.id ? before : get(id)!) } })));
      for (const id of subtree) current.set(id, undefined);
      continue;
    }
    if (!before) {
      if (typeof op.props.type !== 'string') continue; // did nothing
      inverse.unshift({ op: 'delete', id: op.id });
      current.set(op.id, withProps({ type: op.props.type } as CanvasObject, op.props));
      continue;
    }
    const props: Record<string, PropValue | null> = {};
    for (const name of Object.keys(op.props)) if (name !== 'type') props[name] = before[name] ?? null;
    inverse.unshift({ op: 'put', id: op.id, props });
    current.set(op.id, withProps(before, op.props));
  }
  return inverse;
}

function withProps(obj: CanvasObject, props: Record<string, PropValue | null>): CanvasObject {
  const next = { ...obj };
  for (const [name, value] of Object.entries(props)) {
    if (name === 'type') continue;
    if (value === null) delete next[name];
    else next[name] = value;
  }
  return next;
}

/** Everything inside `id` as the objects stand now, parents before children. */
function descendants(ids: Iterable<string>, get: (id: string) => CanvasObject | undefined, id: string): string[] {
  const depthBelow = (x: string): number => {
    let depth = 0;
    for (let p = get(x)?.parentId; typeof p === 'string'; p = get(p)?.parentId) {
      depth++;
      if (p === id) return depth;
    }
    return 0;
  };
  return [...ids].map(x => [x, depthBelow(x)] as const).filter(([, d]) => d > 0).sort((a, b) => a[1] - b[1]).map(([x]) => x);
}

export class History {
  private readonly undoStack: Op[][] = [];
  private redoStack: Op[][] = [];
  private gesture: Op[] | null = null;

  constructor(private readonly model: () => CanvasModel, private readonly submit: (ops: Op[]) => void) {}

  /** Changes made until `end()` are one undo step. */
  begin(): void { this.gesture ??= []; }

  end(): void {
    if (this.gesture && this.gesture.length > 0) this.push(this.gesture);
    this.gesture = null;
  }

  /** Makes a change that can be undone. */
  apply(ops: Op[]): void {
    if (ops.length === 0) return;
    const inverse = invert(this.model(), ops);
    this.submit(ops);
    if (this.gesture) this.gesture.unshift(...inverse);
    else this.push(inverse);
  }

  /** Records a change made elsewhere (an AI command, applied by the server) as one step, by the ops that undo it. */
  record(inverse: Op[]): void {
    if (inverse.length === 0) return;
    this.end();
    this.push(inverse);
  }

  undo(): boolean { return this.replay(this.undoStack, this.redoStack); }
  redo(): boolean { return this.replay(this.redoStack, this.undoStack); }

  private push(inverse: Op[]): void {
    this.undoStack.push(inverse);
    if (this.undoStack.length > 200) this.undoStack.shift();
    this.redoStack = [];
  }

  private replay(from: Op[][], to: Op[][]): boolean {
    this.end();
    const ops = from.pop();
    if (!ops) return false;
    to.push(invert(this.model(), ops));
    this.submit(ops);
    return true;
  }
}

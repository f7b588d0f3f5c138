// Moving the selection by dragging one of its shapes (the drag itself is Konva's): each drag is one undo step; the
// shape snaps to the edges and centres of what is on screen, with guides; a frame carries what is inside it; a shape
// dropped on a frame goes into it, and out of it when dropped outside.
import type { Op } from '../../sync/protocol';
import { snap, type Box } from '../snapping';
import { descendantsOf, frameAt } from '../structure';
import { round, type EditorServices, type Point } from './tool';

/** How close (in screen pixels) an edge or centre must come to another's to snap to it. */
const SNAP_PX = 6;

/** What is dragged: a Konva node, or a test's stand-in. */
export interface Movable {
  position(): Point;
  position(to: Point): unknown;
}

export class MoveGesture {
  constructor(private readonly editor: EditorServices) {}

  /** A drag begins: connectors of the selection bound to shapes left behind leave them (in the same step). */
  start(): void {
    this.editor.beginStep();
    this.editor.submit(this.editor.connectors.detach(this.editor.selection()));
  }

  /**
   * The shape `id`, drawn at `box`, was dragged with its `node`: snaps the node, and moves the object (and a frame's
   * contents) in the document.
   */
  move(id: string, box: Box, node: Movable): void {
    const doc = this.editor.doc();
    const obj = doc.get(id);
    if (!obj) return;
    const skip = this.editor.connectors.withFollowers([id, ...this.editor.selection(), ...descendantsOf(doc, id)]);
    const snapped = snap(box, this.editor.visibleBounds(skip), SNAP_PX / this.editor.scale());
    const at = node.position();
    node.position({ x: at.x + snapped.dx, y: at.y + snapped.dy });
    this.editor.showGuides(snapped.vertical, snapped.horizontal, snapped.gaps);
    const x = round(node.position().x), y = round(node.position().y);
    const dx = x - (obj.x as number ?? 0), dy = y - (obj.y as number ?? 0);
    const ops: Op[] = [{ op: 'put', id, props: { x, y } }];
    if (obj.type === 'frame') {
      for (const child of descendantsOf(doc, id)) {
        const c = doc.get(child)!;
        ops.push({ op: 'put', id: child, props: { x: round((c.x as number ?? 0) + dx), y: round((c.y as number ?? 0) + dy) } });
      }
    }
    this.editor.submit(ops);
  }

  /** The shape `id` was let go at `box`: it goes into the frame under its centre, or out of the one it was in. */
  end(id: string, box: Box): void {
    this.editor.showGuides([], []);
    const doc = this.editor.doc();
    const obj = doc.get(id);
    if (obj && obj.type !== 'frame') {
      const parent = frameAt(doc, box.x + box.width / 2, box.y + box.height / 2, id);
      if ((parent ?? null) !== ((obj.parentId as string | undefined) ?? null)) this.editor.submit([{ op: 'put', id, props: { parentId: parent ?? null } }]);
    }
    this.editor.endStep();
  }
}

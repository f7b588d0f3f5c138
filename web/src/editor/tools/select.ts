// The select tool: a press on an object selects it (Shift adds or removes it), a press on the empty canvas (or on a
// locked object) draws a marquee that selects what lies wholly inside it, locked objects left out (Shift keeps what
// was selected). A press or a marquee that takes a member of a group takes the whole group (groups.ts). Moving and
// resizing what is selected are gestures of their own (move.ts, and the editor's handles), which start from the same
// press.
import { isLocked } from '../layers';
import { withGroups } from '../groups';
import type { Box } from '../snapping';
import { boxBetween, type EditorServices, type EditorTool, type Point, type PointerInput } from './tool';

export class SelectTool implements EditorTool {
  readonly name = 'select' as const;
  private marquee: { start: Point; keep: readonly string[] } | null = null;

  constructor(private readonly editor: EditorServices) {}

  onPointerDown({ at, target: pressed, onHandle, shift }: PointerInput): void {
    if (onHandle) return; // the handle resizes or rotates
    const selection = this.editor.selection();
    const target = pressed !== null && isLocked(this.editor.doc().get(pressed)) ? null : pressed; // locked: the background
    if (!target) {
      this.marquee = { start: at, keep: shift ? selection : [] };
      this.editor.showBand({ x: at.x, y: at.y, width: 0, height: 0 });
      this.editor.select([...this.marquee.keep]);
    }
    else {
      const group = withGroups(this.editor.doc(), [target]); // a press on a member takes its whole group
      if (shift) this.editor.select(selection.includes(target) ? selection.filter(s => !group.includes(s)) : [...new Set([...selection, ...group])]);
      else if (!selection.includes(target)) this.editor.select(group);
    }
  }

  onPointerMove({ at }: PointerInput): void {
    if (!this.marquee) return;
    const box = boxBetween(at, this.marquee.start);
    this.editor.showBand(box);
    const inside = [...this.editor.visibleBounds(new Set())].filter(b => contains(box, b)).map(b => b.id)
      .filter(id => !isLocked(this.editor.doc().get(id)));
    this.editor.select(withGroups(this.editor.doc(), [...new Set([...this.marquee.keep, ...inside])]));
  }

  onPointerUp(): void { this.cancel(); }

  cancel(): void {
    if (!this.marquee) return;
    this.marquee = null;
    this.editor.showBand(null);
  }
}

function contains(outer: Box, inner: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

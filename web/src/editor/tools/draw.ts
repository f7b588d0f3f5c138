// The drawing tools (rectangle, ellipse, frame, line, arrow, pencil): a new shape exists from the press and grows
// with the drag; the whole drag is one undo step, and the shape is selected when let go. A line or arrow drawn from
// or to a shape binds its end to it (connectors.ts).
import type { PropValue } from '../../sync/protocol';
import { AUTO } from '../colors';
import { frameAt, zTop } from '../structure';
import type { ToolName } from '../tools';
import { round, type EditorServices, type EditorTool, type Point, type PointerInput } from './tool';

export type DrawnKind = 'rect' | 'ellipse' | 'frame' | 'line' | 'arrow' | 'path';

/** What a new object of each kind looks like. Text, lines and frames take the theme's colours ("auto", docs/protocol.md) until someone picks one. */
export const NEW_STYLE: Partial<Record<ToolName, Record<string, string | number>>> = {
  rect: { fill: '#4dabf7' },
  ellipse: { fill: '#ffa94d' },
  frame: { fill: AUTO, stroke: AUTO, strokeWidth: 1, name: 'Frame' },
  text: { fill: AUTO },
  line: { stroke: AUTO, strokeWidth: 2 },
  arrow: { stroke: AUTO, strokeWidth: 2 },
  path: { stroke: AUTO, strokeWidth: 3 },
};

export class DrawTool implements EditorTool {
  private drawing: { id: string; start: Point; points: number[] } | null = null;

  constructor(readonly name: DrawnKind, private readonly editor: EditorServices) {}

  private get isStroke(): boolean { return this.name === 'line' || this.name === 'arrow' || this.name === 'path'; }

  onPointerDown({ at }: PointerInput): void {
    const doc = this.editor.doc();
    this.drawing = { id: this.editor.newId(), start: at, points: [0, 0] };
    // A shape drawn on a frame goes into it; a frame does not nest by being drawn.
    const parentId = this.name === 'frame' ? undefined : frameAt(doc, at.x, at.y);
    const shape: Record<string, PropValue> = this.isStroke ? { points: [0, 0, 0, 0] } : { width: 1, height: 1 };
    this.editor.beginStep();
    this.editor.submit([{ op: 'put', id: this.drawing.id, props: {
      type: this.name, x: at.x, y: at.y, ...shape, ...NEW_STYLE[this.name], z: zTop(doc), ...(parentId ? { parentId } : {}),
      ...this.editor.connectors.startProps(this.name, at),
    } }]);
  }

  onPointerMove({ at }: PointerInput): void {
    const drawing = this.drawing;
    if (!drawing) return;
    this.editor.connectors.drawing(this.name, drawing.id, at);
    const dx = round(at.x - drawing.start.x), dy = round(at.y - drawing.start.y);
    if (this.name === 'path') {
      drawing.points.push(dx, dy);
      this.editor.submit([{ op: 'put', id: drawing.id, props: { points: [...drawing.points] } }]);
    } else if (this.isStroke) {
      this.editor.submit([{ op: 'put', id: drawing.id, props: { points: [0, 0, dx, dy] } }]);
    } else {
      this.editor.submit([{ op: 'put', id: drawing.id, props: {
        x: Math.min(at.x, drawing.start.x), y: Math.min(at.y, drawing.start.y), width: Math.max(1, Math.abs(dx)), height: Math.max(1, Math.abs(dy)),
      } }]);
    }
  }

  onPointerUp({ at }: PointerInput): void {
    const drawing = this.drawing;
    if (!drawing) return;
    this.editor.submit(this.editor.connectors.finishDrawing(this.name, drawing.id, at)); // an end let go on a shape binds
    this.cancel();
    this.editor.setTool('select');
    this.editor.select([drawing.id]);
  }

  cancel(): void {
    if (!this.drawing) return;
    this.drawing = null;
    this.editor.endStep();
  }
}

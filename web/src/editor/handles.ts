// What the editor draws over the canvas for the gestures: the selection's handles (Konva's transformer: resize and
// rotate), the rubber band of a marquee or of a text being drawn, and snapping guides.
import Konva from 'konva';
import type { CanvasModel } from '../sync/model';
import type { Op } from '../sync/protocol';
import { SHAPES } from './shapes';
import type { Box, Segment } from './snapping';
import { round } from './tools/tool';

/** The selection's handles. A resize or turn is one change (one undo step), made when the handle is let go. */
export class SelectionHandles {
  // The handles resize freely; Shift keeps the ratio, Alt resizes from the centre, Shift snaps a turn to 15° (Konva's
  // own keys). No flipping through zero: a size stays positive.
  private readonly transformer = new Konva.Transformer({ rotateEnabled: true, ignoreStroke: true, keepRatio: false, flipEnabled: false });

  /**
   * @param gesture `started` when a handle is pressed, `moved` with the nodes as they are scaled and turned (nothing is
   * sent yet), `ended` with the ops that keep what the handles did when it is let go (the editor makes started and
   * ended one undo step).
   */
  constructor(overlay: Konva.Layer, doc: () => CanvasModel,
    gesture: { started(): void; moved(nodes: Konva.Node[]): void; ended(ops: Op[]): void }) {
    overlay.add(this.transformer);
    this.transformer.on('transformstart', () => gesture.started());
    this.transformer.on('transform', () => gesture.moved(this.transformer.nodes()));
    this.transformer.on('transformend', () => gesture.ended(transformOps(doc(), this.transformer.nodes())));
  }

  /** Whether `node` is one of the handles (a press on it resizes or rotates, it selects nothing). */
  owns(node: Konva.Node): boolean { return node.getParent() === this.transformer; }

  /**
   * Puts the handles on `nodes` (objects of `types`). `active`: they take presses (with the select tool: drawing tools
   * draw over the selection); `editable`: they resize and turn (not for a viewer).
   */
  show(nodes: Konva.Node[], types: (string | undefined)[], active: boolean, editable: boolean): void {
    const { transformer } = this;
    transformer.listening(active);
    transformer.resizeEnabled(editable);
    // A frame does not turn: what is inside it would not turn with it.
    transformer.rotateEnabled(editable && !types.includes('frame'));
    // A line's stroke is all there is of it (a level line has no height without it), so the handles hold the stroke
    // when the selection has one; otherwise they hold the shapes' edges.
    transformer.ignoreStroke(!types.some(type => type === 'line' || type === 'arrow' || type === 'path'));
    // Attaching anew measures the nodes again (a text's new words, a line's new points) but resets the handles' box,
    // which would make a resize or turn in progress jump when a peer's change arrives: not while one is.
    if (!transformer.isTransforming()) transformer.nodes(nodes);
  }
}

/**
 * The nodes were scaled and turned by the handles: the objects keep that as their own size (each type says how) and
 * rotation, and the nodes go back to scale 1. A node whose object a peer deleted meanwhile is left out.
 */
export function transformOps(doc: CanvasModel, nodes: Konva.Node[]): Op[] {
  return nodes.filter(node => doc.has(node.id())).map(node => {
    const obj = doc.get(node.id())!;
    const size = SHAPES[obj.type].resized(obj, node, node.scaleX(), node.scaleY());
    node.scale({ x: 1, y: 1 });
    const rotation = round(((node.rotation() + 540) % 360) - 180);
    return { op: 'put' as const, id: node.id(), props: { x: round(node.x()), y: round(node.y()), rotation, ...size } };
  });
}

/** Lines that an edge or centre snapped to; segments over the gaps that equal spacing made equal. */
const GUIDE = '#f03e3e';
const GAP_GUIDE = '#d6336c';

/** The rubber band and the snapping guides, drawn with hairlines whatever the zoom. */
export class OverlayMarks {
  private readonly band = new Konva.Rect({ fill: 'rgba(25, 113, 194, 0.08)', stroke: '#1971c2', visible: false, listening: false });
  private readonly guides = new Konva.Group({ listening: false });

  constructor(private readonly overlay: Konva.Layer) {
    overlay.add(this.band, this.guides);
  }

  showBand(box: Box | null): void {
    if (box) this.band.setAttrs({ ...box, visible: true, strokeWidth: 1 / this.scale });
    else this.band.visible(false);
    this.overlay.batchDraw();
  }

  /** Dashed lines through the edges or centres lined up with; over each equal gap, a solid segment with end ticks. */
  showGuides(vertical: number[], horizontal: number[], gaps: Segment[] = []): void {
    this.guides.destroyChildren();
    const big = 1e6, width = 1 / this.scale, tick = 4 * width;
    for (const x of vertical) this.guides.add(new Konva.Line({ points: [x, -big, x, big], stroke: GUIDE, strokeWidth: width, dash: [4 * width, 4 * width] }));
    for (const y of horizontal) this.guides.add(new Konva.Line({ points: [-big, y, big, y], stroke: GUIDE, strokeWidth: width, dash: [4 * width, 4 * width] }));
    for (const { x1, y1, x2, y2 } of gaps) {
      const across = y1 === y2 ? [0, tick] : [tick, 0]; // ticks stand across the segment
      for (const points of [[x1, y1, x2, y2], [x1 - across[0], y1 - across[1], x1 + across[0], y1 + across[1]], [x2 - across[0], y2 - across[1], x2 + across[0], y2 + across[1]]])
        this.guides.add(new Konva.Line({ points, stroke: GAP_GUIDE, strokeWidth: width }));
    }
    this.overlay.batchDraw();
  }

  private get scale(): number { return this.overlay.getStage()?.scaleX() ?? 1; }
}

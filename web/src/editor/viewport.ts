// Pan and zoom: the wheel pans, Ctrl/Cmd+wheel (and pinch) zooms at the pointer, space-drag or middle-drag pans;
// zoom to fit, zoom to a box, reveal a box. Only what is in view is drawn: the renderer's culling follows every pan,
// zoom and resize.
import Konva from 'konva';
import type { Renderer } from './renderer';
import type { Box } from './snapping';
import type { Point } from './tools/tool';
import { round } from './tools/tool';
import { clampZoom } from './zoom';

/** Canvas units drawn beyond each edge of the view, in screen pixels, so that a short pan shows no gap. */
const CULL_MARGIN_PX = 100;
/** Room left around a box zoomed to, in screen pixels. */
const ZOOM_MARGIN_PX = 80;

export class Viewport {
  private spaceDown = false;
  /** Other renderers culled with the view too (a version shown in place of the canvas). */
  private readonly alsoCulled = new Set<Renderer>();

  constructor(private readonly stage: Konva.Stage, private readonly stageEl: HTMLElement, private readonly renderer: Renderer) {
    stage.on('xChange yChange scaleXChange widthChange heightChange', () => this.cull());
    this.cull();
    new ResizeObserver(() => stage.size({ width: stageEl.clientWidth, height: stageEl.clientHeight })).observe(stageEl);
    stage.on('wheel', e => this.wheel(e.evt));
  }

  /** Screen pixels per canvas unit. */
  get scale(): number { return this.stage.scaleX(); }

  /** What the view shows, in canvas units. */
  get view(): Box {
    const { stage } = this, scale = stage.scaleX();
    return { x: -stage.x() / scale, y: -stage.y() / scale, width: stage.width() / scale, height: stage.height() / scale };
  }

  /** Where the pointer is, in canvas units (rounded to hundredths), or null before it has been over the canvas. */
  pointer(): Point | null {
    const { stage } = this, p = stage.getPointerPosition();
    if (!p) return null;
    return { x: round((p.x - stage.x()) / stage.scaleX()), y: round((p.y - stage.y()) / stage.scaleY()) };
  }

  /** A press with space held or the middle button pans the view: true when this one does (no tool sees it then). */
  startPan(press: MouseEvent): boolean {
    if (!this.spaceDown && press.button !== 1) return false;
    this.stage.draggable(true);
    this.stage.startDrag();
    return true;
  }

  endPan(): void { this.stage.draggable(false); }

  /** Space held down makes the next press pan; true when `e` was the space bar. */
  keyDown(e: KeyboardEvent): boolean {
    if (e.key !== ' ') return false;
    this.spaceDown = true;
    this.stageEl.dataset.panning = 'true';
    return true;
  }

  keyUp(e: KeyboardEvent): void {
    if (e.key !== ' ') return;
    this.spaceDown = false;
    delete this.stageEl.dataset.panning;
  }

  zoomToFit(): void {
    this.zoomTo(this.renderer.contentBounds());
  }

  /** Pans so that `box` is in view (zooming out only when it does not fit); a box already in view leaves the view alone. */
  reveal(box: Box | null): void {
    if (!box) return;
    const { stage } = this;
    // The selection just made may have opened the properties panel: measure the stage as it is laid out now, not as
    // it was before the resize observer hears of it.
    stage.size({ width: this.stageEl.clientWidth, height: this.stageEl.clientHeight });
    const scale = stage.scaleX(), view = this.view;
    if (box.x >= view.x && box.y >= view.y && box.x + box.width <= view.x + view.width && box.y + box.height <= view.y + view.height) return;
    if ((box.width + ZOOM_MARGIN_PX) * scale > stage.width() || (box.height + ZOOM_MARGIN_PX) * scale > stage.height()) { this.zoomTo(box); return; }
    stage.position({ x: -box.x * scale + (stage.width() - box.width * scale) / 2, y: -box.y * scale + (stage.height() - box.height * scale) / 2 });
    stage.batchDraw();
  }

  /** Zooms (10% to 800%) and pans so that `box` fills the view with a margin. */
  zoomTo(box: Box | null): void {
    if (!box) return;
    const { stage } = this;
    const scale = clampZoom(Math.min(stage.width() / (box.width + ZOOM_MARGIN_PX), stage.height() / (box.height + ZOOM_MARGIN_PX)));
    stage.scale({ x: scale, y: scale });
    stage.position({ x: -box.x * scale + (stage.width() - box.width * scale) / 2, y: -box.y * scale + (stage.height() - box.height * scale) / 2 });
    stage.batchDraw();
  }

  /** Culls `renderer`'s layer with the view as well, from now until the returned function is called. */
  alsoCull(renderer: Renderer): () => void {
    this.alsoCulled.add(renderer);
    this.cull();
    return () => { this.alsoCulled.delete(renderer); };
  }

  private cull(): void {
    const view = this.view, margin = CULL_MARGIN_PX / this.scale;
    const box = { x: view.x - margin, y: view.y - margin, width: view.width + 2 * margin, height: view.height + 2 * margin };
    this.renderer.cull(box);
    for (const renderer of this.alsoCulled) renderer.cull(box);
  }

  private wheel(e: WheelEvent): void {
    const { stage } = this;
    e.preventDefault();
    if (e.ctrlKey || e.metaKey) {
      const pointer = stage.getPointerPosition()!;
      const old = stage.scaleX();
      const scale = clampZoom(old * Math.exp(-e.deltaY / 300));
      const at = { x: (pointer.x - stage.x()) / old, y: (pointer.y - stage.y()) / old };
      stage.scale({ x: scale, y: scale });
      stage.position({ x: pointer.x - at.x * scale, y: pointer.y - at.y * scale });
    } else {
      stage.position({ x: stage.x() - e.deltaX, y: stage.y() - e.deltaY });
    }
    stage.batchDraw();
  }
}

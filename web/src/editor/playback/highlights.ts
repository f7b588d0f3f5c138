// Who changed what, while playback runs: each object a batch changed is outlined in its author's colour (the colour of
// their cursor) and the outline fades over FADE_MS. One shape draws every outline (a stroke per box), on a layer of
// its own above the content, so a frame with hundreds of changes adds no nodes.
import Konva from 'konva';
import type { Bounds } from '../spatialIndex';

/** How long an outline takes to fade, in ms of real time. */
export const FADE_MS = 1200;
/** At most this many outlines at once (the newest). */
const MAX_OUTLINES = 1500;

interface Outline { box: Bounds; color: string; since: number }

export class AuthorHighlights {
  private readonly outlines = new Map<string, Outline>();
  private readonly layer = new Konva.Layer({ listening: false });

  constructor(stage: Konva.Stage) {
    const outlines = this.outlines;
    this.layer.add(new Konva.Shape({
      sceneFunc: context => {
        const now = performance.now(), scale = stage.scaleX() || 1, c = context._context;
        c.lineWidth = 3 / scale;
        for (const { box, color, since } of outlines.values()) {
          const alpha = 1 - (now - since) / FADE_MS;
          if (alpha <= 0) continue;
          c.globalAlpha = alpha;
          c.strokeStyle = color;
          c.strokeRect(box.x - 3 / scale, box.y - 3 / scale, box.width + 6 / scale, box.height + 6 / scale);
          c.globalAlpha = alpha * 0.18;
          c.fillStyle = color;
          c.fillRect(box.x, box.y, box.width, box.height);
        }
        c.globalAlpha = 1;
      },
    }));
    stage.add(this.layer);
    this.layer.visible(false);
  }

  /** Outlines `box` (canvas units) in `color` from now on. */
  mark(id: string, box: Bounds, color: string, now: number): void {
    this.outlines.delete(id); // the newest last, so that the oldest go first
    this.outlines.set(id, { box, color, since: now });
    if (this.outlines.size > MAX_OUTLINES) this.outlines.delete(this.outlines.keys().next().value!);
  }

  /** Drops the outlines that have faded and draws the rest; false when none is left. */
  draw(now: number): boolean {
    for (const [id, outline] of this.outlines) {
      if (now - outline.since < FADE_MS) break; // in the order they were marked: the rest are newer
      this.outlines.delete(id);
    }
    this.layer.visible(this.outlines.size > 0);
    this.layer.batchDraw();
    return this.outlines.size > 0;
  }

  clear(): void {
    this.outlines.clear();
    this.layer.visible(false);
    this.layer.batchDraw();
  }
}

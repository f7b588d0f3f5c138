// Thumbnails of versions, drawn in the browser from each version's state by the editor's own renderer and SVG
// export (export.ts), so a thumbnail looks like the canvas did; the server stores none (docs/version-history.md says
// why). Drawn only for the rows that scroll into view, one at a time, and kept per version (a version never changes).
import Konva from 'konva';
import { CanvasModel } from '../../sync/model';
import type { Objects } from '../../sync/protocol';
import { currentPalette } from '../colors';
import { toSvg } from '../export';
import { Renderer } from '../renderer';

/** Above this many objects a thumbnail is not drawn (its SVG would weigh more than the panel); the row says the count. */
export const MAX_THUMBNAIL_OBJECTS = 2000;

/** An SVG drawing of the objects, fitted into its box by its viewBox, on the theme's canvas colour. */
export function thumbnailSvg(objects: Objects): string {
  const layer = new Konva.Layer({ listening: false });
  try {
    const palette = currentPalette();
    new Renderer(layer, palette).update(CanvasModel.from(objects), 'all');
    return toSvg(layer, [], palette.canvas);
  } finally {
    layer.destroy();
  }
}

/**
 * Fills `.version-thumb` boxes as they scroll into view of `scroller`: fetches the version's objects (`load`) and
 * draws them, the rows in the order they showed, one after another.
 */
export class Thumbnails {
  private readonly drawn = new Map<string, string>();
  private readonly queue: HTMLElement[] = [];
  private working = false;
  private readonly observer: IntersectionObserver;

  constructor(scroller: HTMLElement, private readonly load: (versionId: string) => Promise<Objects>) {
    this.observer = new IntersectionObserver(entries => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        this.observer.unobserve(entry.target);
        this.queue.push(entry.target as HTMLElement);
      }
      void this.work();
    }, { root: scroller, rootMargin: '200px 0px' });
  }

  /** Draws the thumbnail of version `versionId` into `box` once it scrolls into view. */
  watch(box: HTMLElement, versionId: string): void {
    box.dataset.versionId = versionId;
    const known = this.drawn.get(versionId);
    if (known !== undefined) this.fill(box, known);
    else this.observer.observe(box);
  }

  /** Forgets the boxes of a list that was replaced. */
  clear(): void {
    this.observer.disconnect();
    this.queue.length = 0;
  }

  private async work(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      for (let box = this.queue.shift(); box; box = this.queue.shift()) {
        if (!box.isConnected) continue;
        const id = box.dataset.versionId!;
        let svg = this.drawn.get(id);
        if (svg === undefined) {
          try {
            const objects = await this.load(id);
            const count = Object.keys(objects).length;
            svg = count > MAX_THUMBNAIL_OBJECTS ? `${count.toLocaleString()} objects` : thumbnailSvg(objects);
          } catch {
            svg = ''; // the row stays usable without its picture
          }
          this.drawn.set(id, svg);
        }
        this.fill(box, svg);
      }
    } finally {
      this.working = false;
    }
  }

  private fill(box: HTMLElement, svg: string): void {
    if (svg.startsWith('<svg')) box.innerHTML = svg; // made by toSvg, every value escaped
    else box.textContent = svg;
    box.dataset.drawn = 'true';
  }
}

// Keeps the Konva layer in step with the local model: only the objects that changed are touched, and objects
// outside the view are not drawn at all (culling), so panning a large canvas draws only what is on screen.
import Konva from 'konva';
import type { CanvasModel } from '../sync/model';
import { BindingIndex, asDrawn } from '../sync/connectors';
import type { Palette } from './colors';
import { SHAPES } from './shapes';
import { compareStacking } from './zindex';

interface Bounds { x: number; y: number; width: number; height: number }

export class Renderer {
  readonly nodes = new Map<string, Konva.Shape>();
  private readonly bounds = new Map<string, Bounds>();
  /** Connectors follow the objects they are bound to: a change to one redraws them. */
  private readonly bindings = new BindingIndex();
  private view: Bounds | null = null;

  /** @param palette the theme's colours, which "auto" colours are drawn with. */
  constructor(private readonly layer: Konva.Layer, private palette: Palette) {}

  /** Draws every object again in another theme's colours. */
  setPalette(palette: Palette, model: CanvasModel): void {
    this.palette = palette;
    this.update(model, 'all');
  }

  update(model: CanvasModel, ids: Iterable<string> | 'all'): void {
    const todo = ids === 'all' ? new Set([...this.nodes.keys(), ...model.ids()]) : this.bindings.withDependents(ids);
    let reorder = false;
    for (const id of todo) {
      const obj = model.get(id);
      this.bindings.set(id, obj);
      let node = this.nodes.get(id);
      if (!obj) {
        node?.destroy();
        this.nodes.delete(id);
        this.bounds.delete(id);
        continue;
      }
      if (node && node.getAttr('objectType') !== obj.type) {
        node.destroy();
        node = undefined;
      }
      if (!node) {
        node = SHAPES[obj.type].create();
        node.perfectDrawEnabled(false); // no offscreen buffer per shape
        node.shadowForStrokeEnabled(false);
        node.id(id);
        node.setAttr('objectType', obj.type);
        node.name('object');
        this.nodes.set(id, node);
        this.layer.add(node);
        reorder = true;
      }
      if (node.getAttr('z') !== obj.z) reorder = true;
      node.setAttr('z', obj.z);
      SHAPES[obj.type].update(node, asDrawn(obj, model), this.palette);
      const box = boundsOf(node);
      this.bounds.set(id, box);
      node.visible(!this.view || intersects(box, this.view));
    }
    if (reorder) this.sortByZ();
    this.layer.batchDraw();
  }

  /** The boxes of the objects on screen, other than `except`. */
  *visibleBounds(except: ReadonlySet<string>): Iterable<Bounds & { id: string }> {
    for (const [id, node] of this.nodes) {
      const box = this.bounds.get(id);
      if (box && node.visible() && !except.has(id)) yield { id, ...box };
    }
  }

  /** Shows only the objects that meet the view (canvas coordinates). Cheap: one rectangle test per object. */
  cull(view: Bounds): void {
    this.view = view;
    for (const [id, node] of this.nodes) {
      const box = this.bounds.get(id);
      node.visible(!box || intersects(box, view));
    }
  }

  /** The layer's children in stacking order (docs/protocol.md), which exports keep. */
  private sortByZ(): void {
    const stacked = (id: string, node: Konva.Shape) => ({ id, type: node.getAttr('objectType') as string, z: node.getAttr('z') });
    const sorted = [...this.nodes.entries()].sort(([a, na], [b, nb]) => compareStacking(stacked(a, na), stacked(b, nb)));
    sorted.forEach(([, node], index) => node.zIndex(index));
  }
}

/** A box around the node in canvas units, grown to hold any rotation of it. */
function boundsOf(node: Konva.Shape): Bounds {
  const box = node.getClientRect({ relativeTo: node.getLayer()!, skipTransform: false });
  const pad = node.rotation() ? Math.hypot(box.width, box.height) / 2 : 0;
  return { x: box.x - pad, y: box.y - pad, width: box.width + 2 * pad, height: box.height + 2 * pad };
}

function intersects(a: Bounds, b: Bounds): boolean {
  return a.x <= b.x + b.width && a.x + a.width >= b.x && a.y <= b.y + b.height && a.y + a.height >= b.y;
}

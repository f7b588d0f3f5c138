// Keeps the Konva layer in step with the local model: only the objects that changed are touched.
import Konva from 'konva';
import type { CanvasModel } from '../sync/model';
import { SHAPES } from './shapes';

export class Renderer {
  readonly nodes = new Map<string, Konva.Shape>();

  constructor(private readonly layer: Konva.Layer) {}

  update(model: CanvasModel, ids: Iterable<string> | 'all'): void {
    const todo = ids === 'all' ? new Set([...this.nodes.keys(), ...model.ids()]) : ids;
    let reorder = false;
    for (const id of todo) {
      const obj = model.get(id);
      let node = this.nodes.get(id);
      if (!obj) {
        node?.destroy();
        this.nodes.delete(id);
        continue;
      }
      if (node && node.getAttr('objectType') !== obj.type) {
        node.destroy();
        node = undefined;
      }
      if (!node) {
        node = SHAPES[obj.type].create();
        node.id(id);
        node.setAttr('objectType', obj.type);
        node.name('object');
        this.nodes.set(id, node);
        this.layer.add(node);
        reorder = true;
      }
      if (node.getAttr('z') !== obj.z) reorder = true;
      node.setAttr('z', obj.z);
      SHAPES[obj.type].update(node, obj);
    }
    if (reorder) this.sortByZ();
    this.layer.batchDraw();
  }

  /** Stacking order: frames first, then by the fractional index `z`, ties by id (docs/protocol.md). */
  private sortByZ(): void {
    const sorted = [...this.nodes.entries()].sort(([a, na], [b, nb]) => {
      const fa = na.getAttr('objectType') === 'frame' ? 0 : 1, fb = nb.getAttr('objectType') === 'frame' ? 0 : 1;
      if (fa !== fb) return fa - fb;
      const za = (na.getAttr('z') as string | undefined) ?? '', zb = (nb.getAttr('z') as string | undefined) ?? '';
      return za < zb ? -1 : za > zb ? 1 : a < b ? -1 : a > b ? 1 : 0;
    });
    sorted.forEach(([, node], index) => node.zIndex(index));
  }
}

// Other people's cursors (name label in their colour, eased towards each new position, the same size on screen at
// any zoom) and their selections.
import Konva from 'konva';
import type { Peer } from '../sync/protocol';

export class Cursors {
  private readonly cursors = new Map<string, { group: Konva.Group; tween?: Konva.Tween }>();
  private readonly outlines = new Konva.Group({ listening: false });
  /** The outlines drawn now, as JSON: the same ones are not drawn again. */
  private drawnOutlines = '[]';

  constructor(private readonly layer: Konva.Layer) {
    layer.add(this.outlines);
    layer.getStage().on('scaleXChange', () => {
      for (const { group } of this.cursors.values()) this.keepScreenSize(group);
    });
  }

  private keepScreenSize(group: Konva.Group): void {
    const zoom = this.layer.getStage().scaleX();
    group.scale({ x: 1 / zoom, y: 1 / zoom });
  }

  update(peers: ReadonlyMap<string, Peer>): void {
    for (const [session, cursor] of this.cursors) {
      if (!peers.has(session)) { cursor.group.destroy(); this.cursors.delete(session); }
    }
    for (const peer of peers.values()) {
      let entry = this.cursors.get(peer.session);
      if (!entry) {
        const group = new Konva.Group({ listening: false, name: 'cursor' });
        group.add(new Konva.Line({ points: [0, 0, 0, 16, 4, 12, 11, 12], closed: true, fill: peer.user.color, stroke: '#fff', strokeWidth: 1 }));
        const label = new Konva.Label({ x: 10, y: 16 });
        label.add(new Konva.Tag({ fill: peer.user.color, cornerRadius: 4 }));
        label.add(new Konva.Text({ text: peer.user.name, fill: '#fff', padding: 4, fontSize: 12, fontFamily: 'system-ui, sans-serif' }));
        group.add(label);
        this.keepScreenSize(group);
        this.layer.add(group);
        entry = { group };
        this.cursors.set(peer.session, entry);
      }
      const { group } = entry;
      group.visible(peer.cursor !== null);
      if (peer.cursor) {
        entry.tween?.destroy();
        entry.tween = new Konva.Tween({ node: group, duration: 0.08, x: peer.cursor.x, y: peer.cursor.y });
        entry.tween.play();
      }
    }
    this.layer.batchDraw();
  }

  /**
   * Outlines what the peers have selected, where it is now. Called on every change to the canvas: the layer is drawn
   * again only when an outline moved, came or went (a frame of the layer costs more than the change itself).
   */
  updateSelections(peers: ReadonlyMap<string, Peer>, nodes: { get(id: string): Konva.Shape | undefined }): void {
    const outlines: Konva.RectConfig[] = [];
    for (const peer of peers.values()) {
      for (const id of peer.selection) {
        const node = nodes.get(id);
        if (!node) continue;
        const box = node.getClientRect({ relativeTo: node.getLayer()! });
        outlines.push({ ...box, stroke: peer.user.color, strokeWidth: 2, dash: [6, 3], name: 'peer-selection' });
      }
    }
    const drawn = JSON.stringify(outlines);
    if (drawn === this.drawnOutlines) return;
    this.drawnOutlines = drawn;
    this.outlines.destroyChildren();
    for (const outline of outlines) this.outlines.add(new Konva.Rect(outline));
    this.layer.batchDraw();
  }
}

// Sharing the view: this session tells the others what its view shows (in its presence), and can follow another
// session's view, fitted to this window, until the view is moved here (wheel, drag, zoom keys: anything but a resize).
import type Konva from 'konva';
import type { Peer, Viewport } from '../sync/protocol';
import type { SyncClient } from '../sync/SyncClient';
import { clampZoom } from './zoom';

export class Follow {
  private followed: string | null = null;
  /** Set while this module moves the view, so that the move is not taken for the user's. */
  private moving = false;

  constructor(private readonly stage: Konva.Stage, private readonly client: SyncClient) {
    stage.on('xChange yChange scaleXChange', () => {
      if (!this.moving) this.stop();
      client.setViewport(this.viewport());
    });
    stage.on('widthChange heightChange', () => {
      const peer = this.followed ? client.peers.get(this.followed) : undefined;
      if (peer) this.show(peer);
      client.setViewport(this.viewport());
    });
    client.setViewport(this.viewport());
  }

  /** The session whose view this one follows, if any. */
  get session(): string | null { return this.followed; }

  /** Follows `session`, or stops when it is the one followed already. */
  toggle(session: string): void {
    this.followed = this.followed === session ? null : session;
    this.client.emitPeers();
  }

  /** Call on every change of the peers: keeps showing the followed view, and stops when its session left. */
  peersChanged(peers: ReadonlyMap<string, Peer>): void {
    if (!this.followed) return;
    const peer = peers.get(this.followed);
    if (peer) this.show(peer);
    else this.stop();
  }

  private stop(): void {
    if (this.followed === null) return;
    this.followed = null;
    this.client.emitPeers();
  }

  /** What this view shows, in canvas units. */
  private viewport(): Viewport {
    const scale = this.stage.scaleX(), round = (n: number) => Math.round(n * 100) / 100;
    return {
      x: round(-this.stage.x() / scale), y: round(-this.stage.y() / scale),
      width: round(this.stage.width() / scale), height: round(this.stage.height() / scale),
    };
  }

  /** Shows all of the peer's view, centred: the same picture when both windows have the same size. */
  private show(peer: Peer): void {
    const view = peer.viewport;
    if (!view) return;
    const { stage } = this;
    const scale = clampZoom(Math.min(stage.width() / view.width, stage.height() / view.height));
    this.moving = true;
    try {
      stage.scale({ x: scale, y: scale });
      stage.position({ x: stage.width() / 2 - (view.x + view.width / 2) * scale, y: stage.height() / 2 - (view.y + view.height / 2) * scale });
    } finally {
      this.moving = false;
    }
    stage.batchDraw();
  }
}

// An in-memory stand-in for the server's protocol semantics, for unit tests of the sync client only: the ordered
// log, acks to the sender, ops to the others, replay or full state on hello, and dedup of resent batches. The real
// server is exercised by the server's integration tests and by the end-to-end tests.
import { CanvasModel } from '../src/sync/model';
import type { ClientMessage, LoggedBatch, ServerMessage, Role } from '../src/sync/protocol';
import type { SocketLike } from '../src/sync/SyncClient';

export class FakeSocket implements SocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  readyState = 0;
  /** In flight, not yet delivered. */
  readonly toServer: string[] = [];
  readonly toClient: string[] = [];
  session = '';
  client = '';

  constructor(readonly server: FakeServer) {}

  send(data: string): void { this.toServer.push(data); }
  close(code = 1000, reason = ''): void { this.server.drop(this, code, reason); }
}

export class FakeServer {
  readonly state = new CanvasModel();
  readonly log: LoggedBatch[] = [];
  readonly sockets: FakeSocket[] = [];
  private sessions = 0;
  /** How often a reconnect gets the full state instead of a replay (as when the log was pruned). */
  fullStateChance = 0;
  /** The role every new session gets in its welcome. */
  role: Role = 'editor';
  /** How long a session's credentials last (told after welcome and in answer to auth); null: they never expire. */
  expiresInSeconds: number | null = null;
  /** The credentials each auth message brought, in order. */
  readonly renewals: unknown[] = [];

  connect = (): SocketLike => {
    const socket = new FakeSocket(this);
    this.sockets.push(socket);
    return socket;
  };

  /** Opens sockets that are connecting. */
  open(): void {
    for (const s of this.sockets) if (s.readyState === 0) { s.readyState = 1; s.onopen?.({}); }
  }

  /** Delivers one in-flight message of a socket, in order. Returns false when there was none. */
  deliverToServer(socket: FakeSocket): boolean {
    const data = socket.toServer.shift();
    if (data === undefined || socket.readyState !== 1) return false;
    this.handle(socket, JSON.parse(data) as ClientMessage);
    return true;
  }

  deliverToClient(socket: FakeSocket): boolean {
    const data = socket.toClient.shift();
    if (data === undefined || socket.readyState !== 1) return false;
    socket.onmessage?.({ data });
    return true;
  }

  /** Delivers everything in flight, both ways, until nothing moves. */
  settle(): void {
    this.open();
    let moved = true;
    while (moved) {
      moved = false;
      for (const s of [...this.sockets]) {
        while (this.deliverToServer(s)) moved = true;
        while (this.deliverToClient(s)) moved = true;
      }
    }
  }

  /** Drops the connection; what was in flight is lost. */
  drop(socket: FakeSocket, code = 1006, reason = ''): void {
    if (socket.readyState === 3) return;
    socket.readyState = 3;
    socket.toServer.length = 0;
    socket.toClient.length = 0;
    this.sockets.splice(this.sockets.indexOf(socket), 1);
    this.broadcast(socket, { type: 'leave', session: socket.session });
    socket.onclose?.({ code, reason });
  }

  private handle(socket: FakeSocket, message: ClientMessage): void {
    switch (message.type) {
      case 'hello': {
        socket.session = `s${++this.sessions}`;
        socket.client = message.client;
        const seq = this.log.at(-1)?.seq ?? 0;
        const replay = message.since !== undefined && Math.random() >= this.fullStateChance
          ? this.log.filter(b => b.seq > message.since!)
          : undefined;
        this.sendTo(socket, {
          type: 'welcome', session: socket.session, user: { id: socket.client, name: 'n', color: '#000' }, role: this.role, seq,
          ...(replay ? { replay } : { objects: this.state.toJSON() }), peers: [],
        });
        if (this.expiresInSeconds !== null) this.sendTo(socket, { type: 'auth', expiresInSeconds: this.expiresInSeconds });
        return;
      }
      case 'auth': {
        const { type: _, ...credentials } = message;
        this.renewals.push(credentials);
        if (this.expiresInSeconds !== null) this.sendTo(socket, { type: 'auth', expiresInSeconds: this.expiresInSeconds });
        return;
      }
      case 'ops': {
        const existing = this.log.find(b => b.client === socket.client && b.ref === message.ref);
        if (existing) { this.sendTo(socket, { type: 'ack', ref: message.ref, seq: existing.seq }); return; }
        const batch: LoggedBatch = { seq: (this.log.at(-1)?.seq ?? 0) + 1 + Math.floor(Math.random() * 3), actor: socket.client, client: socket.client, ref: message.ref, ops: message.ops };
        this.log.push(batch);
        this.state.apply(batch.ops);
        for (const s of this.sockets) {
          if (s.readyState !== 1 || !s.session) continue;
          if (s.client === socket.client) this.sendTo(s, { type: 'ack', ref: batch.ref, seq: batch.seq });
          else this.sendTo(s, { type: 'ops', seq: batch.seq, actor: batch.actor, ops: batch.ops });
        }
        return;
      }
      case 'ping':
        this.sendTo(socket, { type: 'pong' });
        return;
      default:
        return;
    }
  }

  private broadcast(from: FakeSocket, message: ServerMessage): void {
    for (const s of this.sockets) if (s !== from && s.session) this.sendTo(s, message);
  }

  private sendTo(socket: FakeSocket, message: ServerMessage): void { socket.toClient.push(JSON.stringify(message)); }
}

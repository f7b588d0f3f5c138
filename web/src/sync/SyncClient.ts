// The one module that knows about the wire: pending batches, acks, reconnects and resends.
// Local changes apply at once (optimistic). What the user sees is always the server's state plus the changes still
// pending, in that order: when someone else's batch arrives, the pending changes are taken back, the batch is
// applied, and the pending changes are applied again on top (a rebase). So an incoming value for a property with an
// unacknowledged local change never shows (Figma's rule: no flicker), and when the last ack arrives the view is
// exactly the server's state, even where creates, deletes and re-parenting crossed.
import { CanvasModel } from './model';
import type { Undo } from './model';
import { FATAL_CLOSE_CODES } from './protocol';
import type { ClientMessage, Cursor, LoggedBatch, Op, Peer, Renewal, Role, ServerMessage, User, Viewport } from './protocol';

export type Status = 'connecting' | 'online' | 'offline' | 'closed';

/** The part of WebSocket the client uses, so tests can stand in for it. */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  readyState: number;
}

export interface SyncOptions {
  url: string;
  clientId: string;
  /** A share link's token and a guest's name, sent in hello (never in the URL, which may be logged). */
  link?: string;
  guestName?: string;
  createSocket?: (url: string) => SocketLike;
  /** Local changes are sent at most this often, as one batch. */
  flushMs?: number;
  presenceMs?: number;
  maxOpsPerBatch?: number;
  /** Delay before the n-th reconnect attempt. */
  backoff?: (attempt: number) => number;
  /**
   * Fresh credentials for the open socket, asked for shortly before the ones it rests on expire (the server says when,
   * in `auth`). Null (or a failure) when there are none, e.g. after signing out: the server then closes with 4401.
   */
  renew?: () => Promise<Renewal | null>;
  /**
   * Where the browser says it lost or regained the network (`offline` and `online` events); `window` by default.
   * The events are believed when they say the network is gone, never used to hold back a connection attempt: a
   * machine with only a loopback interface reports itself offline and still reaches a server on localhost.
   */
  network?: EventTarget;
}

export interface SyncEvents {
  change: (ids: Set<string> | 'all') => void;
  status: (status: Status) => void;
  peers: (peers: ReadonlyMap<string, Peer>) => void;
  error: (code: string, message: string) => void;
  role: (role: Role) => void;
  renamed: (name: string) => void;
}

interface Batch { ref: string; ops: Op[]; sent: boolean }

const OPEN = 1;
/**
 * The heartbeat. A socket whose network died silently stays open for minutes (TCP retries), so the client asks: after
 * this much quiet it sends a ping (any frame from the server counts as an answer)...
 */
const PING_WHEN_IDLE_MS = 15_000;
/** ...or after this much, while changes wait for their ack... */
const PING_WHEN_WAITING_MS = 1_000;
/** ...and gives the socket up when nothing came this long after the ping. */
const PONG_TIMEOUT_MS = 2_500;
const HEARTBEAT_TICK_MS = 250;
/**
 * So a change made on a dead network shows as not saved, "offline", within PING_WHEN_WAITING_MS + PONG_TIMEOUT_MS +
 * 2 ticks = 4 s of the cut (or of the change, when the cut came earlier): docs/architecture.md, "Connection status".
 */
export const OFFLINE_NOTICED_WITHIN_MS = PING_WHEN_WAITING_MS + PONG_TIMEOUT_MS + 2 * HEARTBEAT_TICK_MS;
/** A connection attempt that has not been welcomed this long is given up (a network that swallows packets never refuses). */
const WELCOME_TIMEOUT_MS = 10_000;
/** Credentials are renewed this long before they expire; with less than twice this left, halfway to the end, again and again. */
const RENEW_LEAD_MS = 60_000;
/** setTimeout's longest delay; a sign-in may last longer (it is checked again then). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class SyncClient {
  /** What the user sees: the server's state at `seq` plus every pending change. */
  local: CanvasModel = new CanvasModel();
  seq = 0;
  status: Status = 'connecting';
  user: User | null = null;
  /** What this session may do; null until welcomed. */
  role: Role | null = null;
  session: string | null = null;
  readonly peers = new Map<string, Peer>();

  private readonly pending: Batch[] = [];
  private unsent: Op[] = [];
  /** Takes `local` back to the server's state: what applying the pending and unsent ops changed. */
  private speculative: Undo = [];
  private socket: SocketLike | null = null;
  private welcomed = false;
  private attempt = 0;
  private nextRef = 1;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private presenceTimer: ReturnType<typeof setTimeout> | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private renewTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private welcomeTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the open socket last brought a frame, and when the ping still unanswered went (this client's clock). */
  private lastHeard = 0;
  private pingSentAt: number | null = null;
  /** When the credentials of the open socket expire (this client's clock), if they do. */
  private expiresAt: number | null = null;
  private presence: { cursor: Cursor | null; selection: string[]; viewport: Viewport | null } | null = null;
  private readonly listeners: { [K in keyof SyncEvents]: SyncEvents[K][] } = { change: [], status: [], peers: [], error: [], role: [], renamed: [] };
  private readonly refPrefix = Math.random().toString(36).slice(2, 8);

  private readonly network: EventTarget | undefined;

  constructor(private readonly options: SyncOptions) {
    this.network = options.network ?? (typeof window === 'undefined' ? undefined : window);
  }

  on<K extends keyof SyncEvents>(event: K, listener: SyncEvents[K]): () => void {
    this.listeners[event].push(listener);
    return () => { this.listeners[event] = this.listeners[event].filter(l => l !== listener) as never; };
  }

  /** Batches not yet acknowledged (sent or not). */
  get pendingCount(): number { return this.pending.length + (this.unsent.length > 0 ? 1 : 0); }

  /**
   * The changes the server does not have yet, as the user counts them: the objects with a change not acknowledged
   * (ten shapes drawn are ten, one shape dragged many times is one).
   */
  get unsavedCount(): number {
    const ids = new Set<string>();
    for (const op of [...this.pending.flatMap(b => b.ops), ...this.unsent]) ids.add(op.id);
    return ids.size;
  }

  /**
   * The server's state at `seq` (every acknowledged batch in log order), as a copy: `local` with the pending changes
   * taken back. Kept as one model, not two, so that each incoming batch is applied once.
   */
  get confirmed(): CanvasModel {
    const model = this.local.clone();
    model.revert(this.speculative.map(([id, before]) => [id, before && { ...before }]));
    return model;
  }

  start(): void {
    this.network?.addEventListener('offline', this.onNetworkLost);
    this.network?.addEventListener('online', this.onNetworkBack);
    this.connect();
  }

  /** Tells the peers listeners again (e.g. after the UI's own state about peers changed). */
  emitPeers(): void { this.emit('peers', this.peers); }

  stop(): void {
    this.setStatus('closed');
    this.network?.removeEventListener('offline', this.onNetworkLost);
    this.network?.removeEventListener('online', this.onNetworkBack);
    this.clearTimers();
    this.socket?.close(1000, 'bye');
    this.socket = null;
  }

  /** Applies ops locally at once and sends them (batched) to the server. A viewer's ops are dropped: the server would refuse them. */
  submit(ops: Op[]): void {
    if (ops.length === 0 || this.role === 'viewer') return;
    const changed = this.local.apply(ops, this.speculative);
    this.unsent.push(...ops);
    this.emit('change', changed);
    this.scheduleFlush();
  }

  setPresence(cursor: Cursor | null, selection: string[]): void {
    this.presence = { cursor, selection, viewport: this.presence?.viewport ?? null };
    this.schedulePresence();
  }

  /** What this session's view shows, sent with its presence. */
  setViewport(viewport: Viewport): void {
    this.presence = { cursor: this.presence?.cursor ?? null, selection: this.presence?.selection ?? [], viewport };
    this.schedulePresence();
  }

  /** Presence goes at most once per `presenceMs`, with the latest of everything. */
  private schedulePresence(): void {
    if (this.presenceTimer === null) {
      this.presenceTimer = setTimeout(() => {
        this.presenceTimer = null;
        if (this.presence && this.isOnline()) this.sendMessage({ type: 'presence', ...this.presence });
      }, this.options.presenceMs ?? 50);
    }
  }

  private isOnline(): boolean { return this.status === 'online' && this.socket?.readyState === OPEN; }

  private connect(): void {
    if (this.status === 'closed') return;
    this.setStatus(this.welcomed ? 'offline' : 'connecting');
    const socket = (this.options.createSocket ?? (url => new WebSocket(url) as unknown as SocketLike))(this.options.url);
    this.socket = socket;
    this.welcomeTimer = setTimeout(() => { this.welcomeTimer = null; this.giveUp(socket); }, WELCOME_TIMEOUT_MS);
    socket.onopen = () => {
      const hello: ClientMessage = { type: 'hello', client: this.options.clientId };
      if (this.options.link) hello.link = this.options.link;
      if (this.options.guestName) hello.name = this.options.guestName;
      if (this.welcomed) hello.since = this.seq;
      socket.send(JSON.stringify(hello));
    };
    socket.onmessage = ev => {
      if (this.socket !== socket) return;
      this.lastHeard = Date.now();
      this.pingSentAt = null;
      const parsed = JSON.parse(String(ev.data)) as ServerMessage | ServerMessage[];
      for (const message of Array.isArray(parsed) ? parsed : [parsed]) this.receive(message);
    };
    socket.onclose = ev => { if (this.socket === socket) this.lost(ev.code, ev.reason); };
  }

  /** The socket is gone (closed, or given up): what was sent on it is sent again on the next one. */
  private lost(code: number, reason: string): void {
    this.socket = null;
    this.stopWatching();
    this.setExpiry(null);
    for (const batch of this.pending) batch.sent = false;
    this.peers.clear();
    this.emit('peers', this.peers);
    if (this.status === 'closed') return;
    if (FATAL_CLOSE_CODES.has(code)) {
      this.setStatus('closed');
      this.emit('error', `close_${code}`, reason);
      return;
    }
    this.setStatus('offline');
    const delay = (this.options.backoff ?? defaultBackoff)(this.attempt++);
    this.reconnectTimer = setTimeout(() => { this.reconnectTimer = null; this.connect(); }, delay);
  }

  /**
   * Stops waiting for a socket that does not answer. Closing it asks the other end to agree, which a dead network
   * never does, so the client lets go at once instead of waiting for the close.
   */
  private giveUp(socket: SocketLike): void {
    if (this.socket !== socket) return;
    this.socket = null; // first: the close below may call onclose at once
    socket.close(4000, 'no answer');
    this.lost(1006, 'no answer');
  }

  /** Sends a ping after a quiet spell and gives the socket up when nothing answers in time. */
  private heartbeat(): void {
    const socket = this.socket;
    if (!socket || this.status !== 'online') return;
    const now = Date.now();
    if (this.pingSentAt !== null) {
      if (now - this.pingSentAt >= PONG_TIMEOUT_MS) this.giveUp(socket);
      return;
    }
    const quiet = this.pendingCount > 0 ? PING_WHEN_WAITING_MS : PING_WHEN_IDLE_MS;
    if (now - this.lastHeard >= quiet && this.sendMessage({ type: 'ping' })) this.pingSentAt = now;
  }

  private readonly onNetworkLost = (): void => { if (this.socket) this.giveUp(this.socket); };

  /** Back online: try at once rather than at the end of the backoff, and afresh (an attempt made meanwhile may hang). */
  private readonly onNetworkBack = (): void => {
    if (this.status !== 'offline') return;
    if (this.socket) this.giveUp(this.socket);
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.attempt = 0;
    this.connect();
  };

  private stopWatching(): void {
    if (this.heartbeatTimer !== null) clearInterval(this.heartbeatTimer);
    if (this.welcomeTimer !== null) clearTimeout(this.welcomeTimer);
    this.heartbeatTimer = this.welcomeTimer = null;
    this.pingSentAt = null;
  }

  private receive(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome': return this.onWelcome(message);
      case 'ack': return this.onAck(message.ref, message.seq);
      case 'role': this.role = message.role; this.emit('role', message.role); return;
      case 'canvas': this.emit('renamed', message.name); return;
      case 'auth': this.setExpiry(Date.now() + message.expiresInSeconds * 1000); return;
      case 'ops': return this.applyRemote(message.seq, message.ops);
      case 'presence': {
        const peer = this.peers.get(message.session);
        if (peer) {
          this.peers.set(message.session, { ...peer, cursor: message.cursor, selection: message.selection, viewport: message.viewport });
          this.emit('peers', this.peers);
        }
        return;
      }
      case 'join': this.peers.set(message.peer.session, message.peer); this.emit('peers', this.peers); return;
      case 'leave': this.peers.delete(message.session); this.emit('peers', this.peers); return;
      case 'error': return this.onError(message.code, message.message, message.ref);
      case 'pong': return;
    }
  }

  private onWelcome(message: Extract<ServerMessage, { type: 'welcome' }>): void {
    this.user = message.user;
    this.session = message.session;
    if (this.role !== message.role) { this.role = message.role; this.emit('role', message.role); }
    this.attempt = 0;
    if (message.objects) {
      this.seq = message.seq;
      this.rebuildLocal(CanvasModel.from(message.objects));
    } else {
      for (const batch of message.replay ?? []) this.applyLogged(batch);
      this.seq = message.seq;
    }
    this.welcomed = true;
    if (this.welcomeTimer !== null) clearTimeout(this.welcomeTimer);
    this.welcomeTimer = null;
    this.heartbeatTimer ??= setInterval(() => this.heartbeat(), HEARTBEAT_TICK_MS);
    this.peers.clear();
    for (const peer of message.peers) this.peers.set(peer.session, peer);
    this.emit('peers', this.peers);
    this.setStatus('online');
    // Whatever was not acknowledged goes again under its old ref: the server answers a batch it already has with
    // its original ack, so nothing is applied twice.
    for (const batch of this.pending) this.sendBatch(batch);
    this.flush();
    if (this.presence) this.sendMessage({ type: 'presence', ...this.presence });
  }

  private applyLogged(batch: LoggedBatch): void {
    if (batch.client === this.options.clientId && this.pending.some(p => p.ref === batch.ref)) {
      this.onAck(batch.ref, batch.seq);
      return;
    }
    this.applyRemote(batch.seq, batch.ops);
  }

  /** Someone else's batch: ordered after everything confirmed and before everything still pending. */
  private applyRemote(seq: number, ops: Op[]): void {
    this.seq = seq;
    this.rebase(ops);
  }

  /** Takes the pending changes back, applies what the server confirmed, and applies the pending changes again. */
  private rebase(confirmedOps: Op[] | null): void {
    const changed = this.local.revert(this.speculative);
    if (confirmedOps) for (const id of this.local.apply(confirmedOps)) changed.add(id);
    this.speculative = [];
    for (const batch of this.pending) for (const id of this.local.apply(batch.ops, this.speculative)) changed.add(id);
    for (const id of this.local.apply(this.unsent, this.speculative)) changed.add(id);
    this.emit('change', changed);
  }

  private onAck(ref: string, seq: number): void {
    const index = this.pending.findIndex(b => b.ref === ref);
    if (index < 0) return;
    const [batch] = this.pending.splice(index, 1);
    if (seq > this.seq) {
      this.seq = seq;
      this.rebase(batch.ops);
    } else {
      // A resent batch that the full state we were welcomed with already holds: it took effect at its old place in
      // the log, so it is not applied again.
      this.rebase(null);
    }
  }

  private onError(code: string, text: string, ref?: string): void {
    const index = ref === undefined ? -1 : this.pending.findIndex(b => b.ref === ref);
    if (index >= 0 && code === 'rate_limited') {
      this.pending[index].sent = false;
      setTimeout(() => { if (this.isOnline() && !this.pending[index]?.sent) this.resendUnsent(); }, 1000);
      return;
    }
    if (index >= 0) {
      // Refused for good: drop it, and show what the server has plus what is still pending.
      this.pending.splice(index, 1);
      this.rebase(null);
    }
    this.emit('error', code, text);
  }

  /** Schedules the next renewal for credentials that expire at `expiresAt` (none for null, or without `renew`). */
  private setExpiry(expiresAt: number | null): void {
    this.expiresAt = expiresAt;
    if (this.renewTimer !== null) clearTimeout(this.renewTimer);
    this.renewTimer = null;
    if (expiresAt === null || !this.options.renew) return;
    const left = expiresAt - Date.now();
    const delay = left > 2 * RENEW_LEAD_MS ? left - RENEW_LEAD_MS : left / 2;
    if (delay < 1000) return; // too late to matter: the server closes the socket
    this.renewTimer = setTimeout(() => { this.renewTimer = null; void this.renew(expiresAt); }, Math.min(delay, MAX_TIMER_MS));
  }

  /**
   * Sends fresh credentials on the open socket. Its answer (`auth`) schedules the next renewal; until it comes, or
   * when the credentials did not last longer (the same sign-in), the next try is scheduled as if nothing happened.
   */
  private async renew(expiresAt: number): Promise<void> {
    if (expiresAt - Date.now() > 2 * RENEW_LEAD_MS) return this.setExpiry(expiresAt); // woken by the timer's ceiling
    const socket = this.socket;
    const renewal = await this.options.renew!().catch(() => null);
    if (this.socket !== socket || this.expiresAt !== expiresAt) return; // another socket, or an answer came meanwhile
    if (renewal) this.sendMessage({ type: 'auth', ...renewal });
    this.setExpiry(expiresAt);
  }

  private resendUnsent(): void {
    for (const batch of this.pending) if (!batch.sent) this.sendBatch(batch);
  }

  /** The view of a full state from the server: that state plus every pending change. */
  private rebuildLocal(serverState: CanvasModel): void {
    this.local = serverState;
    this.speculative = [];
    for (const batch of this.pending) this.local.apply(batch.ops, this.speculative);
    this.local.apply(this.unsent, this.speculative);
    this.emit('change', 'all');
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== null) return;
    this.flushTimer = setTimeout(() => { this.flushTimer = null; this.flush(); }, this.options.flushMs ?? 40);
  }

  /** Turns what was submitted since the last flush into batches and sends them if online. */
  private flush(): void {
    const max = this.options.maxOpsPerBatch ?? 500;
    while (this.unsent.length > 0) {
      const batch: Batch = { ref: `${this.refPrefix}-${this.nextRef++}`, ops: this.unsent.splice(0, max), sent: false };
      this.pending.push(batch);
      if (this.isOnline()) this.sendBatch(batch);
    }
  }

  private sendBatch(batch: Batch): void {
    batch.sent = this.sendMessage({ type: 'ops', ref: batch.ref, ops: batch.ops });
  }

  private sendMessage(message: ClientMessage): boolean {
    if (this.socket?.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private setStatus(status: Status): void {
    if (this.status === status) return;
    this.status = status;
    this.emit('status', status);
  }

  private emit<K extends keyof SyncEvents>(event: K, ...args: Parameters<SyncEvents[K]>): void {
    for (const listener of this.listeners[event]) (listener as (...a: unknown[]) => void)(...args);
  }

  private clearTimers(): void {
    for (const timer of [this.flushTimer, this.presenceTimer, this.reconnectTimer, this.renewTimer]) if (timer !== null) clearTimeout(timer);
    this.flushTimer = this.presenceTimer = this.reconnectTimer = this.renewTimer = null;
    this.stopWatching();
  }
}

function defaultBackoff(attempt: number): number {
  return Math.min(5000, 250 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SyncClient } from '../src/sync/SyncClient';
import type { Op } from '../src/sync/protocol';
import { FakeServer, FakeSocket } from './fakeServer';

let server: FakeServer;
const clients: SyncClient[] = [];

function client(id: string): SyncClient {
  const c = new SyncClient({ url: 'ws://test', clientId: id, createSocket: server.connect, backoff: () => 10, flushMs: 10 });
  c.start();
  clients.push(c);
  return c;
}

function socketOf(c: SyncClient): FakeSocket {
  return (c as unknown as { socket: FakeSocket }).socket;
}

function settle(): void {
  for (let i = 0; i < 5; i++) {
    vi.advanceTimersByTime(50);
    server.settle();
  }
}

beforeEach(() => { vi.useFakeTimers(); server = new FakeServer(); });
afterEach(() => { for (const c of clients.splice(0)) c.stop(); vi.useRealTimers(); });

describe('SyncClient', () => {
  it('applies local changes at once and confirms them on ack', () => {
    const a = client('a');
    settle();
    a.submit([{ op: 'put', id: 'r', props: { type: 'rect', x: 1 } }]);
    expect(a.local.get('r')).toEqual({ type: 'rect', x: 1 });
    expect(a.confirmed.get('r')).toBeUndefined();
    expect(a.pendingCount).toBe(1);
    settle();
    expect(a.confirmed.get('r')).toEqual({ type: 'rect', x: 1 });
    expect(a.pendingCount).toBe(0);
  });

  it('as a viewer, changes nothing and sends nothing; a role message lifts that', () => {
    server.role = 'viewer';
    const a = client('a');
    settle();
    expect(a.role).toBe('viewer');
    a.submit([{ op: 'put', id: 'r', props: { type: 'rect', x: 1 } }]);
    expect(a.local.get('r')).toBeUndefined();
    expect(a.pendingCount).toBe(0);
    const roles: string[] = [];
    a.on('role', role => roles.push(role));
    socketOf(a).onmessage?.({ data: JSON.stringify({ type: 'role', role: 'editor' }) });
    expect(roles).toEqual(['editor']);
    a.submit([{ op: 'put', id: 'r', props: { type: 'rect', x: 1 } }]);
    settle();
    expect(a.confirmed.get('r')).toEqual({ type: 'rect', x: 1 });
  });

  it('never shows an incoming value over a local change that is not acknowledged yet', () => {
    const a = client('a'), b = client('b');
    settle();
    a.submit([{ op: 'put', id: 'r', props: { type: 'rect', x: 0, y: 0 } }]);
    settle();
    b.submit([{ op: 'put', id: 'r', props: { x: 10, y: 10 } }]);
    vi.advanceTimersByTime(50);
    server.open();
    server.deliverToServer(socketOf(b)); // b's batch is logged first
    a.submit([{ op: 'put', id: 'r', props: { x: 99 } }]);
    vi.advanceTimersByTime(50);
    server.deliverToClient(socketOf(a)); // b's ops reach a while a's x is pending
    expect(a.local.get('r')).toMatchObject({ x: 99, y: 10 }); // x held back, y applied: no flicker
    settle();
    expect(a.local.toJSON()).toEqual(server.state.toJSON());
    expect(b.local.toJSON()).toEqual(server.state.toJSON());
    expect(server.state.get('r')).toMatchObject({ x: 99, y: 10 });
  });

  it('keeps working offline and sends what was queued after reconnecting', () => {
    const a = client('a'), b = client('b');
    settle();
    server.drop(socketOf(a));
    expect(a.status).toBe('offline');
    a.submit([{ op: 'put', id: 'o', props: { type: 'ellipse', x: 3 } }]);
    expect(a.local.get('o')).toBeDefined();
    settle();
    expect(a.status).toBe('online');
    expect(b.local.get('o')).toEqual({ type: 'ellipse', x: 3 });
    expect(a.pendingCount).toBe(0);
  });

  it('does not apply a batch twice when its ack was lost with the connection', () => {
    const a = client('a');
    settle();
    a.submit([{ op: 'put', id: 'r', props: { type: 'rect', x: 1 } }]);
    vi.advanceTimersByTime(50);
    server.deliverToServer(socketOf(a)); // logged...
    server.drop(socketOf(a)); // ...but the ack is lost
    expect(a.pendingCount).toBe(1);
    settle();
    expect(server.log).toHaveLength(1);
    expect(a.pendingCount).toBe(0);
    expect(a.confirmed.toJSON()).toEqual(server.state.toJSON());
  });

  it('converges with random edits, delays and dropped connections', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 300; round++) {
      server = new FakeServer();
      server.fullStateChance = 0.5;
      const peers = [client(`c${round}a`), client(`c${round}b`), client(`c${round}c`)];
      settle();
      const ids = ['a', 'b', 'f'];
      for (let step = 0; step < 150; step++) {
        const c = peers[Math.floor(random() * peers.length)];
        const id = ids[Math.floor(random() * ids.length)];
        const roll = random();
        let ops: Op[] = [];
        if (roll < 0.3) ops = [{ op: 'put', id, props: { type: id === 'f' ? 'frame' : 'rect', x: step } }];
        else if (roll < 0.6) ops = [{ op: 'put', id, props: { x: step, fill: random() < 0.5 ? '#111' : '#222' } }];
        else if (roll < 0.7) ops = [{ op: 'put', id, props: { parentId: random() < 0.5 ? 'f' : null } }];
        else if (roll < 0.78) ops = [{ op: 'delete', id }];
        else if (roll < 0.82) { const s = socketOf(c); if (s) server.drop(s); }
        else if (roll < 0.9) vi.advanceTimersByTime(20);
        else {
          server.open();
          for (const s of [...server.sockets]) if (random() < 0.5) { server.deliverToServer(s); server.deliverToClient(s); }
        }
        c.submit(ops);
      }
      settle();
      const expected = server.state.toJSON();
      for (const c of peers) {
        expect(c.pendingCount).toBe(0);
        expect(c.confirmed.toJSON()).toEqual(expected);
        expect(c.local.toJSON()).toEqual(expected);
      }
      for (const c of clients.splice(0)) c.stop();
    }
  });
});

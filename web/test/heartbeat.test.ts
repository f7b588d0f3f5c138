// How soon the client notices a dead connection, with fake timers: the bound the status promises is proved here, the
// real browser and server doing it in the end-to-end tests (ConnectionStatusTests).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OFFLINE_NOTICED_WITHIN_MS, SyncClient } from '../src/sync/SyncClient';
import { FakeServer } from './fakeServer';

let server: FakeServer;
let client: SyncClient;
const network = new EventTarget();

function start(backoffMs = 10): SyncClient {
  client = new SyncClient({ url: 'ws://test', clientId: 'a', createSocket: server.connect, backoff: () => backoffMs, flushMs: 10, network });
  client.start();
  server.settle();
  return client;
}

/** Lets time pass in small steps, delivering what is in flight after each (a network that works). */
function pass(ms: number): void {
  for (let t = 0; t < ms; t += 50) {
    vi.advanceTimersByTime(50);
    server.settle();
  }
}

const rect = (id: string) => [{ op: 'put' as const, id, props: { type: 'rect' as const, x: 1 } }];

beforeEach(() => { vi.useFakeTimers(); server = new FakeServer(); });
afterEach(() => { client.stop(); vi.useRealTimers(); });

describe('SyncClient heartbeat', () => {
  it('shows a change made on a silently dead connection as offline and unsaved within the promised bound', () => {
    expect(OFFLINE_NOTICED_WITHIN_MS).toBeLessThanOrEqual(4000);
    // The worst moments for the cut: just after a frame arrived, at every phase of the heartbeat's tick.
    for (let phase = 0; phase < 300; phase += 25) {
      server = new FakeServer();
      start();
      pass(3000);
      vi.advanceTimersByTime(phase);
      server.settle(); // the last frame that gets through
      client.submit(rect('r'));
      vi.advanceTimersByTime(OFFLINE_NOTICED_WITHIN_MS); // nothing is delivered any more
      expect(client.status, `cut at phase ${phase}`).toBe('offline');
      expect(client.unsavedCount).toBe(1);
      client.stop();
    }
  });

  it('keeps an idle connection that answers its pings, and gives one up that stops answering', () => {
    start();
    const socket = server.sockets[0];
    const pings: string[] = [];
    const send = socket.send.bind(socket);
    socket.send = data => { if (data.includes('"ping"')) pings.push(data); send(data); };
    pass(60_000);
    expect(client.status).toBe('online');
    expect(server.sockets).toEqual([socket]);
    expect(pings.length).toBeGreaterThanOrEqual(3);

    vi.advanceTimersByTime(15_000 + OFFLINE_NOTICED_WITHIN_MS); // silence
    expect(client.status).toBe('offline');
  });

  it('sends what waited once the network is back, and the server applies it once', () => {
    start();
    client.submit(rect('r'));
    vi.advanceTimersByTime(20);
    server.deliverToServer(server.sockets[0]); // logged; the ack is lost in the dead network
    client.submit(rect('s'));
    vi.advanceTimersByTime(OFFLINE_NOTICED_WITHIN_MS);
    expect(client.status).toBe('offline');
    expect(client.unsavedCount).toBe(2);
    pass(1000);
    expect(client.status).toBe('online');
    expect(client.unsavedCount).toBe(0);
    expect(server.log.map(b => b.ops[0].id)).toEqual(['r', 's']);
  });

  it('gives up an attempt that is never welcomed, and tries again', () => {
    client = new SyncClient({ url: 'ws://test', clientId: 'a', createSocket: server.connect, backoff: () => 10, network });
    client.start();
    vi.advanceTimersByTime(10_000 + 10); // the server never answers; then the backoff
    expect(server.sockets).toHaveLength(1); // the first given up (and closed), the second waiting
    server.settle();
    expect(client.status).toBe('online');
  });

  it("believes the browser's offline event at once, and tries again as soon as it says online", () => {
    start(60_000);
    network.dispatchEvent(new Event('offline'));
    expect(client.status).toBe('offline');
    client.submit(rect('r'));
    vi.advanceTimersByTime(20);
    expect(client.unsavedCount).toBe(1);
    network.dispatchEvent(new Event('online')); // long before the backoff's end
    server.settle();
    vi.advanceTimersByTime(20);
    server.settle();
    expect(client.status).toBe('online');
    expect(client.unsavedCount).toBe(0);
  });
});

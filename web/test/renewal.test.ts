import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SyncClient } from '../src/sync/SyncClient';
import type { Renewal } from '../src/sync/protocol';
import { FakeServer } from './fakeServer';

let server: FakeServer;
let client: SyncClient | null = null;

function start(renew: () => Promise<Renewal | null>): SyncClient {
  client = new SyncClient({ url: 'ws://test', clientId: 'a', createSocket: server.connect, backoff: () => 10, flushMs: 10, renew });
  client.start();
  server.settle();
  return client;
}

/** Lets time pass (running the renewals it brings, and their promises), delivering what is in flight every second. */
async function pass(seconds: number): Promise<void> {
  for (let second = 0; second < seconds; second++) {
    await vi.advanceTimersByTimeAsync(1000);
    server.settle();
  }
}

beforeEach(() => { vi.useFakeTimers(); server = new FakeServer(); server.expiresInSeconds = 600; });
afterEach(() => { client?.stop(); client = null; vi.useRealTimers(); });

describe('SyncClient credentials', () => {
  it('sends fresh credentials on the open socket a minute before the old ones expire, and again before the new ones do', async () => {
    const renew = vi.fn(async () => ({ ticket: 'fresh' }));
    start(renew);
    await pass(530);
    expect(renew).not.toHaveBeenCalled();
    await pass(15);
    expect(server.renewals).toEqual([{ ticket: 'fresh' }]);
    expect(client!.status).toBe('online');
    await pass(530); // the server's answer said 600 seconds from the renewal
    expect(renew).toHaveBeenCalledTimes(1);
    await pass(15);
    expect(server.renewals).toHaveLength(2);
  });

  it('without fresh credentials, tries a few more times before the end and sends nothing', async () => {
    const renew = vi.fn(async () => null);
    start(renew);
    await pass(600);
    expect(renew.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(renew.mock.calls.length).toBeLessThanOrEqual(8);
    expect(server.renewals).toEqual([]);
    const calls = renew.mock.calls.length;
    await pass(3600);
    expect(renew).toHaveBeenCalledTimes(calls);
  });

  it('renews a new socket on its own expiry after a reconnect', async () => {
    const renew = vi.fn(async () => ({ token: 'access-token' }));
    start(renew);
    await pass(300);
    server.drop(server.sockets[0]);
    await pass(1); // reconnected: the new welcome's auth counts from now
    await pass(530);
    expect(renew).not.toHaveBeenCalled();
    await pass(15);
    expect(server.renewals).toEqual([{ token: 'access-token' }]);
  });
});

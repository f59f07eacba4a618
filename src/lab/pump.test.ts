import type { Duplex } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { PUMP_BATCH, pump } from './pump.js';

/** A peer that takes every write at once, as a loopback reader that keeps up does. */
function eagerPeer() {
  const peer = { destroyed: false, bytes: 0, write: (b: Uint8Array) => ((peer.bytes += b.length), true), destroy: () => void (peer.destroyed = true), once: () => peer };
  return peer;
}
const turn = () => new Promise((r) => setImmediate(r));

describe('pump: the hostile lab floods a batch per event-loop turn', () => {
  test('a peer that never pushes back still gets one batch per turn, so the loop keeps turning', async () => {
    const peer = eagerPeer();
    const chunk = new Uint8Array(4000);
    pump(peer as unknown as Duplex, () => chunk, Date.now() + 60_000);
    // Writing until back-pressure would have written for the whole minute before returning here.
    expect(peer.bytes).toBeGreaterThan(0);
    expect(peer.bytes).toBeLessThanOrEqual(PUMP_BATCH + chunk.length);
    await turn();
    await turn();
    expect(peer.bytes).toBeGreaterThan(PUMP_BATCH);
    expect(peer.bytes).toBeLessThanOrEqual(3 * (PUMP_BATCH + chunk.length));
    peer.destroyed = true;
  });

  test('ends the socket once its time is up, and writes nothing to a closed one', async () => {
    const late = eagerPeer();
    pump(late as unknown as Duplex, () => new Uint8Array(10), Date.now() - 1);
    expect(late).toMatchObject({ bytes: 0, destroyed: true });
    const closed = eagerPeer();
    closed.destroyed = true;
    pump(closed as unknown as Duplex, () => new Uint8Array(10), Date.now() + 60_000);
    await turn();
    expect(closed.bytes).toBe(0);
  });

  test('numbers each piece, so an endless head has distinct field names', () => {
    const seen: number[] = [];
    const peer = eagerPeer();
    pump(peer as unknown as Duplex, (i) => (seen.push(i), new Uint8Array(PUMP_BATCH / 4)), Date.now() + 60_000);
    expect(seen).toEqual([0, 1, 2, 3]);
    peer.destroyed = true;
  });
});

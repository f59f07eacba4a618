/**
 * The hostile lab's one way to flood a peer: write `next(i)` in batches of about 64 KiB, one batch
 * per event-loop turn, waiting on `drain` under back-pressure, until the socket closes or `until`
 * (a `Date.now()` value) passes, then destroy it.
 *
 * One batch per turn matters because the lab runs in the same process as the client under test: a
 * loopback reader that keeps up makes every `write` succeed at once, and a loop that writes until
 * back-pressure then never gives the event loop back (seen: 1.7–3.5 s stalls with two curls reading an
 * endless chunked body), which makes a concurrent probe's deadline pass before its server, also in this
 * process, has answered. A real server's flood does not take its client's CPU.
 *
 * @example
 * pump(socket, (i) => Buffer.from(`X-Filler-${i}: xxxx\r\n`), Date.now() + 15_000);
 */
import type { Duplex } from 'node:stream';

/** Bytes written per event-loop turn at most (one write may end a little past it). */
export const PUMP_BATCH = 65_536;

export function pump(s: Duplex, next: (i: number) => Uint8Array, until: number): void {
  let i = 0;
  const tick = () => {
    if (s.destroyed) return;
    if (Date.now() >= until) return void s.destroy();
    for (let n = 0; n < PUMP_BATCH; ) {
      const b = next(i++);
      n += b.length;
      if (!s.write(b)) return void s.once('drain', () => setImmediate(tick));
    }
    setImmediate(tick);
  };
  tick();
}

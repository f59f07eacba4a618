/**
 * Time and bytes of one probe, shared by every probe family: the common fields of its evidence.
 */
import type { ConnectOutcome, ProbeCommon } from '../model/index.js';
import { round } from '../transport/conn.js';
import { probeId, type ProbeContext } from './context.js';

/**
 * A probe's clock and byte counters: its id, start and duration, bytes both ways, and its deadline.
 * @example const m = new Meter(ctx, 'tcp'); const common = m.common(outcome); // id, address, times, bytes
 */
export class Meter {
  sent = 0;
  received = 0;
  readonly start = performance.now();
  /** Time spent waiting for a connection slot (fleet-scan politeness): not the server's time, so not counted against the probe. */
  queuedMs = 0;
  constructor(
    readonly ctx: ProbeContext,
    readonly name: string,
  ) {
    ctx.options.onProbe?.(probeId(ctx, name), 'start');
  }
  /** The probe's own deadline, never past the diagnosis's (`--max-time`). */
  get deadline(): number {
    return Math.min(this.start + this.queuedMs + this.ctx.timeoutMs, this.ctx.deadline ?? Infinity);
  }
  common(connect: ConnectOutcome): ProbeCommon {
    this.ctx.options.onProbe?.(probeId(this.ctx, this.name), 'end');
    return {
      id: probeId(this.ctx, this.name),
      address: this.ctx.address,
      port: this.ctx.port,
      startMs: round(this.start - this.ctx.t0),
      durationMs: round(performance.now() - this.start),
      bytesSent: this.sent,
      bytesReceived: this.received,
      connect,
    };
  }
}

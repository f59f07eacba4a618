/**
 * What one trace keeps while it runs: the events (each stamped with the time since the trace
 * began, its error problems collected), the TLS key log, what the connection showed so far (judged
 * by the diagnosis rules on demand) and the capture of the bytes both ways under its budget.
 */
import type { Target } from '../model/index.js';
import type { Endpoint } from '../wire/pcapng.js';
import { round } from '../transport/conn.js';
import { judgeTrace, type TraceSeen } from './judge.js';
import type { TraceCapture, TraceResult } from './types.js';
import type { Problem, TraceEvent, TraceEventBody } from '../model/trace.js';

export const TRACE_DEFAULTS = {
  timeoutMs: 5000,
  maxFrames: 1000,
  previewBytes: 64,
  alpn: ['h2', 'http/1.1'],
  /** Most bytes (both directions) kept for the pcap: past it, "capture truncated". */
  captureBytes: 16 * 1024 * 1024,
  /** Most bytes a TLS handshake may read before it is abandoned as endless. */
  handshakeBytes: 1024 * 1024,
  /** Times one problem (its words, numbers aside) is said before the rest are counted, not repeated. */
  repeatProblems: 3,
} as const;

/** A problem's words with its numbers taken out: "997 PING frames in 101 ms" and "998 PING frames in 102 ms" are one. */
const shape = (p: Problem) => `${p.level} ${p.text.replace(/\d+(\.\d+)?/g, '#')}`;

export class TraceRecorder {
  readonly t0 = performance.now();
  readonly epoch0 = Date.now();
  readonly startedAt = new Date(this.epoch0).toISOString();
  readonly events: TraceEvent[] = [];
  readonly keylog: string[] = [];
  readonly errors: string[] = [];
  /** What the connection showed so far (set once a connection was tried). */
  seen: TraceSeen | undefined;
  /** The capture, once the TCP connection is open. */
  capture: TraceCapture | undefined;
  private captured = 0;
  /** Problems said so far by shape, and those left unsaid past TRACE_DEFAULTS.repeatProblems (the latest of each, counted). */
  private readonly said = new Map<string, number>();
  private readonly unsaid = new Map<string, { latest: Problem; n: number }>();

  constructor(
    readonly target: Target,
    private readonly onEvent?: (e: TraceEvent) => void,
    private readonly captureBytes: number = TRACE_DEFAULTS.captureBytes,
  ) {}

  /** The wall clock now, from the trace's own monotonic clock. */
  epochNow(): number {
    return this.epoch0 + (performance.now() - this.t0);
  }

  /** Milliseconds since the trace began. */
  elapsed(): number {
    return round(performance.now() - this.t0);
  }

  readonly emit = (body: TraceEventBody, problems?: Problem[]): void => {
    if (body.kind === 'close') this.sayUnsaid();
    problems = problems?.filter((p) => this.fresh(p));
    const e: TraceEvent = { ...body, t: this.elapsed() };
    if (problems?.length) e.problems = problems;
    for (const p of problems ?? []) if (p.level === 'error') this.errors.push(p.text);
    this.events.push(e);
    this.onEvent?.(e);
  };

  /** False for a problem already said {@link TRACE_DEFAULTS.repeatProblems} times: it is counted instead. */
  private fresh(p: Problem): boolean {
    const k = shape(p);
    const n = (this.said.get(k) ?? 0) + 1;
    this.said.set(k, n);
    if (n <= TRACE_DEFAULTS.repeatProblems) return true;
    this.unsaid.set(k, { latest: p, n: n - TRACE_DEFAULTS.repeatProblems });
    return false;
  }

  /** Before the close: one line for each problem that repeated, with how many times it was not said (×N) and its latest words. */
  private sayUnsaid(): void {
    if (!this.unsaid.size) return;
    const problems = [...this.unsaid.values()].map(({ latest, n }) => ({ level: latest.level, text: `×${n} more like the above, not repeated; the latest: ${latest.text}` }));
    this.unsaid.clear();
    const e: TraceEvent = { kind: 'note', t: this.elapsed(), problems };
    for (const p of problems) if (p.level === 'error') this.errors.push(p.text);
    this.events.push(e);
    this.onEvent?.(e);
  }

  private bytesOf(dir: 'in' | 'out'): number {
    return (this.capture?.chunks ?? []).reduce((n, c) => (c.dir === dir ? n + c.data.length : n), 0);
  }

  /** The diagnosis rules on what the trace saw so far (the same codes and words as diagnose). */
  judge(more: Partial<TraceSeen> = {}) {
    if (!this.seen) return [];
    const now = { ...this.seen, ...more, bytesSent: this.bytesOf('out'), bytesReceived: this.bytesOf('in'), durationMs: this.elapsed() };
    return judgeTrace(this.target, now, this.startedAt);
  }

  result(): TraceResult {
    const findings = this.judge().map((f) => ({ code: f.code, severity: f.severity, title: f.title }));
    return { url: this.target.url, events: this.events, keylog: this.keylog, errors: this.errors, findings, ...(this.capture ? { capture: this.capture } : {}) };
  }

  /** Starts the capture of a connection opened at `openedAt`. */
  openCapture(client: Endpoint, server: Endpoint, openedAt: number): TraceCapture {
    this.capture = { client, server, openedAt, chunks: [], close: { by: 'client', at: openedAt } };
    return this.capture;
  }

  /** Keeps bytes for the pcap; past the budget the capture says it was cut, and memory stays bounded. */
  readonly keep = (dir: 'in' | 'out', data: Uint8Array): void => {
    const capture = this.capture;
    if (!capture || capture.truncated) return;
    if (this.captured + data.length > this.captureBytes) {
      capture.truncated = { bytes: this.captured, at: this.epochNow() };
      this.emit({ kind: 'note' }, [{ level: 'warning', text: `capture truncated at ${this.captured} bytes (the ${this.captureBytes}-byte capture budget): the pcap holds the connection up to here` }]);
      return;
    }
    this.captured += data.length;
    capture.chunks.push({ dir, at: this.epochNow(), data });
  };
}

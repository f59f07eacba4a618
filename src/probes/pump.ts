/**
 * Frames out of a ByteSink through an incremental decoder (HTTP/2 or WebSocket): the read loop every
 * frame-level probe had written out for itself. Bounded by the sink's byte budget and the deadline
 * the caller passes; a decoder error (a ParseError on a hostile server's bytes) is a value, not a throw.
 *
 * @example
 * const pump = new FramePump(sink, new FrameDecoder({ maxFrameSize: 16384 }));
 * for (;;) {
 *   const r = await pump.next(deadline);
 *   if ('frame' in r) handle(r.frame); else break; // r.end or r.error
 * }
 */
import type { StreamEnd } from '../model/index.js';
import type { ByteSink } from '../transport/conn.js';
import { ParseError } from '../wire/bytes.js';

/**
 * A decoder that takes bytes as they come and gives values out one at a time.
 * @example const d: IncrementalDecoder<Frame> = new FrameDecoder({ maxFrameSize: 16384 });
 */
export interface IncrementalDecoder<T> {
  push(chunk: Uint8Array): void;
  next(): T | null | undefined;
}

/**
 * The next frame; or how the stream ended before one was complete; or why the bytes do not decode.
 * @example if ('frame' in got) handle(got.frame); else if ('end' in got) stop(got.end);
 */
export type Pumped<T> = { frame: T } | { end: Exclude<StreamEnd, 'open'> } | { error: string; cause?: ParseError };

/**
 * Feeds an incremental decoder from a byte sink: the next decoded value, the end of the stream, or a parse error.
 * @example const pump = new FramePump(sink, new FrameDecoder({ maxFrameSize: 16384 })); const got = await pump.next(deadline);
 */
export class FramePump<T> {
  /**
   * @param fed offset in the sink where the frames begin (after a 101 head, say).
   * @param release let the sink drop the bytes once the decoder has them (a reader of a long stream).
   */
  constructor(
    private readonly sink: ByteSink,
    private readonly dec: IncrementalDecoder<T>,
    private fed = 0,
    private readonly release = false,
  ) {}

  async next(deadline: number): Promise<Pumped<T>> {
    for (;;) {
      // What the decoder holds first; more bytes only when it has no whole frame (so a fast server's
      // bytes wait in the sink, which can hold the stream back, not in the decoder).
      let f: T | null | undefined;
      try {
        f = this.dec.next();
      } catch (e) {
        return e instanceof ParseError ? { error: e.message, cause: e } : { error: String(e) };
      }
      if (f) return { frame: f };
      // Past the deadline, only what had been read by then (ByteSink.until).
      const end = await this.sink.untilMore(this.fed, deadline);
      if (end !== 'open') return { end };
      const upTo = this.sink.admitted(deadline);
      this.dec.push(this.sink.slice(this.fed, upTo));
      this.fed = upTo;
      if (this.release) this.sink.release(this.fed);
    }
  }
}

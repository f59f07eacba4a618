/**
 * The trace's HTTP/2 flow control (RFC 9113 §6.9): what we may still send of a request body, and
 * what we received and have not yet given back. Pure bookkeeping; the frames go out through the
 * one HTTP/2 client (probes/h2-client.ts).
 */
import { SETTINGS } from '../wire/http2/registry.js';
import { windowUpdateFrame } from '../wire/http2/frame-encode.js';
import { type Frame } from '../wire/http2/frame-types.js';
import { CLIENT_SETTINGS } from '../probes/h2-client.js';

/** Our receive window: what the one client preface (probes/h2-client.ts) advertises and opens. */
export const RECEIVE_WINDOW = CLIENT_SETTINGS.find((s) => s.id === SETTINGS.INITIAL_WINDOW_SIZE)!.value;

export class TraceFlow {
  private peerInitialWindow = 65535;
  /** The server's SETTINGS_MAX_FRAME_SIZE: the largest DATA frame we send. */
  peerMaxFrame = 16384;
  private sendConn = 65535;
  private sendStream = 65535;
  private recvConnUnacked = 0;
  private recvStreamUnacked = 0;
  private recvConnWindow = RECEIVE_WINDOW;
  private recvStreamWindow = RECEIVE_WINDOW;

  /** RFC 9113 §6.9.2: a new initial window changes open streams' windows by the difference. */
  settings(f: Extract<Frame, { kind: 'SETTINGS' }>): void {
    for (const s of f.settings) {
      if (s.id === SETTINGS.INITIAL_WINDOW_SIZE) {
        this.sendStream += s.value - this.peerInitialWindow;
        this.peerInitialWindow = s.value;
      }
      if (s.id === SETTINGS.MAX_FRAME_SIZE) this.peerMaxFrame = s.value;
    }
  }

  /** A WINDOW_UPDATE from the server; false when a window now exceeds 2^31-1 (RFC 9113 §6.9.1). */
  windowUpdate(f: Extract<Frame, { kind: 'WINDOW_UPDATE' }>): boolean {
    if (f.streamId === 0) this.sendConn += f.windowSizeIncrement;
    else if (f.streamId === 1) this.sendStream += f.windowSizeIncrement;
    return this.sendConn <= 0x7fffffff && this.sendStream <= 0x7fffffff;
  }

  /** DATA received (the whole payload, padding included, counts); false when it overran our windows. */
  data(f: Extract<Frame, { kind: 'DATA' }>): boolean {
    const n = f.length;
    this.recvConnWindow -= n;
    this.recvConnUnacked += n;
    if (f.streamId === 1) {
      this.recvStreamWindow -= n;
      this.recvStreamUnacked += n;
    }
    return this.recvConnWindow >= 0 && this.recvStreamWindow >= 0;
  }

  /** Bytes of body we may send now. */
  room(): number {
    return Math.min(this.sendConn, this.sendStream, this.peerMaxFrame);
  }

  sent(n: number): void {
    this.sendConn -= n;
    this.sendStream -= n;
  }

  /** RFC 9113 §6.9: the WINDOW_UPDATEs giving back received window once half of it is used. */
  replenish(streamOpen: boolean): Frame[] {
    const out: Frame[] = [];
    if (this.recvConnUnacked >= RECEIVE_WINDOW / 2) {
      out.push(windowUpdateFrame(0, this.recvConnUnacked));
      this.recvConnWindow += this.recvConnUnacked;
      this.recvConnUnacked = 0;
    }
    if (streamOpen && this.recvStreamUnacked >= RECEIVE_WINDOW / 2) {
      out.push(windowUpdateFrame(1, this.recvStreamUnacked));
      this.recvStreamWindow += this.recvStreamUnacked;
      this.recvStreamUnacked = 0;
    }
    return out;
  }
}

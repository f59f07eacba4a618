/**
 * The capture server behind `h2doctor capture-client`: one loopback port that speaks TLS (the lab
 * CA's certificate, ALPN h2 and http/1.1) and cleartext HTTP/1.1 and h2c, and records what a client
 * sends first: its ClientHello (raw bytes), and on HTTP/2 its opening frames up to its first HEADERS
 * (SETTINGS, WINDOW_UPDATE, PRIORITY, pseudo-header order). Every client gets a 200 so it exits cleanly.
 *
 * Bounded: at most 64 KiB of hello, 256 KiB of HTTP/2 opening, 5 s per connection.
 */
import net from 'node:net';
import tls from 'node:tls';
import { Duplex } from 'node:stream';
import { listen, readRequestHead, type Listening } from './servers.js';
import { FrameDecoder } from '../wire/http2/frame.js';
import { dataFrame, encodeFrame, goawayFrame, headersFrame, settingsFrame } from '../wire/http2/frame-encode.js';
import { type Frame } from '../wire/http2/frame-types.js';
import { CLIENT_PREFACE } from '../wire/http2/registry.js';
import { HpackDecoder, HpackEncoder } from '../wire/hpack/index.js';

/** What one connection showed. */
export interface CaptureRecord {
  transport: 'tls' | 'cleartext';
  remotePort: number;
  /** TLS: the ClientHello handshake message (header included) and the record version it came in. */
  hello?: { message: Uint8Array; recordVersion: number };
  /** TLS: the ALPN protocol the server chose (null: none). */
  alpn?: string | null;
  tlsError?: string;
  /** Cleartext: what the client did. */
  cleartext?: 'prior-knowledge' | 'upgrade' | 'http1';
  /** HTTP/2: frames the client sent up to its first complete HEADERS, and that request's field names. */
  h2?: { frames: Frame[]; headerNames: string[] };
  /** HTTP/1.x: the request line and the User-Agent. */
  request?: { line: string; userAgent?: string };
}

export interface CaptureServerOptions {
  host?: string;
  port?: number;
  cert: { cert: string; key: string };
  onRecord(r: CaptureRecord): void;
}

const MAX_HELLO = 64 * 1024;
const MAX_H2 = 256 * 1024;
const CONN_MS = 5000;

/**
 * Listen for clients to capture.
 *
 * @example
 * const l = await startCaptureServer({ cert, onRecord: (r) => records.push(r) });
 */
export async function startCaptureServer(o: CaptureServerOptions): Promise<Listening> {
  const ctx = tls.createSecureContext({ cert: o.cert.cert, key: o.cert.key });
  const server = net.createServer((sock) => {
    sock.on('error', () => {});
    sock.setTimeout(CONN_MS, () => sock.destroy());
    let buf = Buffer.alloc(0);
    const onData = (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (buf[0] === 0x16) {
        const hello = completeHello(buf);
        if (hello === undefined && buf.length < MAX_HELLO) return;
        sock.off('data', onData);
        serveTls(replay(sock, buf), sock.remotePort ?? 0, ctx, hello, o.onRecord);
      } else {
        sock.off('data', onData);
        void serveCleartext(sock, buf, o.onRecord);
      }
    };
    sock.on('data', onData);
  });
  return listen(server, o.host ?? '127.0.0.1', o.port ?? 0);
}

/** The ClientHello message once all its records are in; undefined while incomplete. */
function completeHello(b: Buffer): { message: Uint8Array; recordVersion: number } | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  let recordVersion = 0;
  // RFC 8446 §5.1: a handshake message may span several records.
  while (at + 5 <= b.length && b[at] === 0x16) {
    const len = b.readUInt16BE(at + 3);
    if (at + 5 + len > b.length) return undefined;
    if (!recordVersion) recordVersion = b.readUInt16BE(at + 1);
    parts.push(b.subarray(at + 5, at + 5 + len));
    at += 5 + len;
    const hs = Buffer.concat(parts);
    if (hs.length >= 4) {
      const need = 4 + ((hs[1]! << 16) | (hs[2]! << 8) | hs[3]!);
      if (hs.length >= need) return { message: new Uint8Array(hs.subarray(0, need)), recordVersion };
    }
  }
  return undefined;
}

/** The socket as a stream that first gives back the bytes already read (TLSSocket does not see unshifted bytes). */
function replay(raw: net.Socket, head: Buffer): Duplex {
  const d = new Duplex({
    read() {
      raw.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      raw.write(chunk, cb);
    },
    final(cb) {
      raw.end();
      cb();
    },
    destroy(err, cb) {
      raw.destroy();
      cb(err);
    },
  });
  d.push(head);
  raw.on('data', (c: Buffer) => {
    if (!d.push(c)) raw.pause();
  });
  raw.on('end', () => d.push(null));
  raw.on('close', () => d.destroy());
  return d;
}

function serveTls(raw: Duplex, remotePort: number, secureContext: tls.SecureContext, hello: CaptureRecord['hello'], onRecord: (r: CaptureRecord) => void): void {
  const rec: CaptureRecord = { transport: 'tls', remotePort, ...(hello ? { hello } : {}) };
  const s = new tls.TLSSocket(raw, { isServer: true, secureContext, ALPNProtocols: ['h2', 'http/1.1'] });
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    onRecord(rec);
  };
  s.on('error', (e: Error) => {
    rec.tlsError ??= e.message;
    finish();
  });
  s.on('close', finish);
  s.on('secure', () => {
    rec.alpn = s.alpnProtocol || null;
    s.once('data', (first: Buffer) => {
      if (rec.alpn === 'h2') void serveH2(s, first, rec).then(finish);
      else void serveH1(s, first, rec).then(finish);
    });
  });
}

async function serveCleartext(sock: net.Socket, first: Buffer, onRecord: (r: CaptureRecord) => void): Promise<void> {
  const rec: CaptureRecord = { transport: 'cleartext', remotePort: sock.remotePort ?? 0 };
  if (first.subarray(0, 3).toString('latin1') === 'PRI') {
    rec.cleartext = 'prior-knowledge';
    await serveH2(sock, first, rec);
  } else {
    const head = await serveH1(sock, first, rec);
    rec.cleartext = head && /^upgrade:\s*h2c\s*$/im.test(head) ? 'upgrade' : 'http1';
  }
  onRecord(rec);
}

/** Read an HTTP/1 request head and answer 200 (no upgrade); returns the head. */
async function serveH1(s: Duplex, first: Buffer, rec: CaptureRecord): Promise<string | undefined> {
  const req = await readRequestHead(s as net.Socket, first);
  if (!req) {
    s.destroy();
    return undefined;
  }
  const line = req.head.split('\r\n')[0] ?? '';
  const ua = /^user-agent:\s*(.*)$/im.exec(req.head)?.[1]?.trim();
  rec.request = { line, ...(ua ? { userAgent: ua } : {}) };
  s.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 3\r\nconnection: close\r\n\r\nok\n');
  return req.head;
}

/** Read the preface and frames up to the first complete HEADERS, answer 200, then GOAWAY. */
function serveH2(s: Duplex, first: Buffer, rec: CaptureRecord): Promise<void> {
  return new Promise((resolve) => {
    let buf = first;
    let prefaceOk = false;
    const dec = new FrameDecoder();
    const frames: Frame[] = [];
    let block: Uint8Array[] = [];
    let total = 0;
    const end = () => {
      s.off('data', onData);
      resolve();
    };
    const onData = (c: Buffer) => {
      total += c.length;
      if (total > MAX_H2) return end();
      if (!prefaceOk) {
        buf = Buffer.concat([buf, c]);
        if (buf.length < CLIENT_PREFACE.length) return;
        if (!buf.subarray(0, CLIENT_PREFACE.length).equals(Buffer.from(CLIENT_PREFACE))) {
          s.destroy();
          return end();
        }
        prefaceOk = true;
        // RFC 9113 §3.4: the server preface is a SETTINGS frame.
        s.write(encodeFrame(settingsFrame([])));
        c = buf.subarray(CLIENT_PREFACE.length);
      }
      dec.push(c);
      try {
        for (let f = dec.next(); f; f = dec.next()) {
          if (frames.length < 64) frames.push(f);
          if (f.kind === 'SETTINGS' && !f.ack) s.write(encodeFrame(settingsFrame([], true)));
          if (f.kind === 'HEADERS' || f.kind === 'CONTINUATION') {
            block.push(f.fieldBlockFragment);
            if (f.endHeaders) {
              const names = new HpackDecoder().decode(Buffer.concat(block)).headers.map(([n]) => n);
              block = [];
              rec.h2 = { frames, headerNames: names };
              const resp = new HpackEncoder().encode([[':status', '200'], ['content-type', 'text/plain']]);
              s.write(encodeFrame(headersFrame(f.streamId, resp, { endHeaders: true })));
              s.write(encodeFrame(dataFrame(f.streamId, new TextEncoder().encode('ok\n'), { endStream: true })));
              s.write(encodeFrame(goawayFrame(f.streamId, 'NO_ERROR')));
              setTimeout(() => s.end(), 200).unref();
              return end();
            }
          }
        }
      } catch {
        s.destroy();
        end();
      }
    };
    s.on('data', onData);
    s.once('close', end);
    onData(Buffer.alloc(0));
  });
}

export interface CaptureSession {
  port: number;
  /** Resolves with the first TLS record that carries a hello and (with `cleartext`) the first cleartext record; or what came by the deadline. */
  done: Promise<{ tls?: CaptureRecord; cleartext?: CaptureRecord }>;
  /** What has come so far. */
  partial(): { tls?: CaptureRecord; cleartext?: CaptureRecord };
  stop(): Promise<void>;
}

/**
 * Listen, and wait for one client's TLS connection (and its cleartext one when asked).
 *
 * @example
 * const s = await captureSession({ cert, cleartext: true, timeoutMs: 60000 });
 * const { tls, cleartext } = await s.done; await s.stop();
 */
export async function captureSession(o: { cert: { cert: string; key: string }; host?: string; port?: number; cleartext?: boolean; timeoutMs: number }): Promise<CaptureSession> {
  const got: { tls?: CaptureRecord; cleartext?: CaptureRecord } = {};
  let resolveDone!: (v: typeof got) => void;
  const done = new Promise<typeof got>((r) => (resolveDone = r));
  const check = () => {
    if (got.tls && (!o.cleartext || got.cleartext)) resolveDone(got);
  };
  const l = await startCaptureServer({
    cert: o.cert,
    ...(o.host ? { host: o.host } : {}),
    ...(o.port !== undefined ? { port: o.port } : {}),
    onRecord(r) {
      if (r.transport === 'tls' && r.hello && !got.tls) got.tls = r;
      if (r.transport === 'cleartext' && r.cleartext && !got.cleartext) got.cleartext = r;
      check();
    },
  });
  const timer = setTimeout(() => resolveDone(got), o.timeoutMs);
  timer.unref();
  return {
    port: l.port,
    done,
    partial: () => ({ ...got }),
    stop: async () => {
      clearTimeout(timer);
      await l.stop();
    },
  };
}

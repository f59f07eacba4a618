/**
 * Scripted hostile HTTP/1.1 origins and CONNECT proxies for the hostile lab: heads that never end,
 * a status line without CRLF, a chunked body without end, a 426 with a 1 MB Upgrade field; proxies
 * whose answer to CONNECT never ends, drips, or is a 200 after which nothing is relayed. Every
 * stream writes under back-pressure and stops after {@link HOSTILE_MAX_MS}.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { HOSTILE_MAX_MS } from './hostile-h2.js';
import { pump } from './pump.js';
import { listen, type Listening } from './servers.js';

export const HOSTILE_H1_KINDS = ['endless-headers', 'status-no-crlf', 'endless-chunked', '426-huge-upgrade'] as const;
export type HostileH1Kind = (typeof HOSTILE_H1_KINDS)[number];

export const HOSTILE_PROXY_KINDS = ['endless-headers', '200-then-hang', 'dripping-status'] as const;
export type HostileProxyKind = (typeof HOSTILE_PROXY_KINDS)[number];

/** What each behaviour answers, in words (lab titles). */
export const HOSTILE_H1_WORDS: Record<HostileH1Kind, string> = {
  'endless-headers': '`HTTP/1.1 200 OK` then header lines without end',
  'status-no-crlf': '`HTTP/1.1 200 OK` and 1 MiB more on the same line, never a CRLF',
  'endless-chunked': 'a complete 200 head, then a chunked body without end',
  '426-huge-upgrade': '426 Upgrade Required whose Upgrade field is 1 MiB long',
};
export const HOSTILE_PROXY_WORDS: Record<HostileProxyKind, string> = {
  'endless-headers': 'answers CONNECT with `HTTP/1.1 200 Connection established` then header lines without end',
  '200-then-hang': 'answers CONNECT with 200, then relays nothing either way',
  'dripping-status': 'answers CONNECT one byte of its status line every 200 ms',
};

const enc = (s: string) => Buffer.from(s, 'latin1');

/** Write `first`, then `next(i)` as fast as the peer reads (a batch per loop turn), until it closes or the lab's bound passes. */
function stream(s: Duplex, first: Buffer, next: (i: number) => Buffer): void {
  s.write(first);
  pump(s, next, Date.now() + HOSTILE_MAX_MS);
}

/** Write `text` one byte every `everyMs`, then hold the connection, until the lab's bound passes. */
function drip(s: Duplex, text: string, everyMs: number): void {
  let i = 0;
  const t = setInterval(() => {
    if (s.destroyed || i >= text.length) return void clearInterval(t);
    s.write(text[i++]!);
  }, everyMs);
  s.on('close', () => clearInterval(t));
}

/** Hold a socket open (reading and dropping) until it closes or the lab's bound passes. */
function bounded(s: net.Socket): void {
  s.on('error', () => {});
  const t = setTimeout(() => s.destroy(), HOSTILE_MAX_MS);
  s.on('close', () => clearTimeout(t));
}

const FILLER = 'x'.repeat(4000);

function answer(s: net.Socket, kind: HostileH1Kind): void {
  switch (kind) {
    case 'endless-headers':
      return stream(s, enc('HTTP/1.1 200 OK\r\n'), (i) => enc(`X-Filler-${i}: ${FILLER}\r\n`));
    case 'status-no-crlf': {
      const line = enc(`HTTP/1.1 200 OK${' '.repeat(1 << 20)}`);
      s.write(line);
      return;
    }
    case 'endless-chunked':
      return stream(s, enc('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n'), () => enc(`fa0\r\n${FILLER}\r\n`));
    case '426-huge-upgrade': {
      const upgrade = Array.from({ length: 1 << 16 }, (_, i) => `h2c-${i % 10}`).join(', ').slice(0, 1 << 20);
      s.write(enc(`HTTP/1.1 426 Upgrade Required\r\nUpgrade: ${upgrade}\r\nConnection: Upgrade\r\ncontent-length: 0\r\n\r\n`));
      return;
    }
  }
}

/** A cleartext HTTP/1.1 origin that answers every HTTP/1.x request as `kind` (and the HTTP/2 preface with 400). */
export async function hostileH1Server(kind: HostileH1Kind, host = '127.0.0.1'): Promise<Listening> {
  const server = net.createServer((s) => {
    bounded(s);
    s.once('data', (first: Buffer) => {
      // The HTTP/2 preface gets what an HTTP/1.1-only server answers it (nginx: 400); requests get the behaviour.
      if (first.subarray(0, 3).toString() === 'PRI') return void s.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
      answer(s, kind);
    });
  });
  return listen(server, host);
}

/**
 * A CONNECT proxy that misbehaves as `kind` in its answer to CONNECT (it never opens a tunnel to
 * anything, so the origin behind it does not matter).
 */
export async function hostileProxy(kind: HostileProxyKind, host = '127.0.0.1'): Promise<Listening> {
  const server = net.createServer((s) => {
    bounded(s);
    s.once('data', () => {
      if (kind === 'endless-headers') stream(s, enc('HTTP/1.1 200 Connection established\r\n'), (i) => enc(`X-Filler-${i}: ${FILLER}\r\n`));
      else if (kind === '200-then-hang') s.write('HTTP/1.1 200 Connection established\r\n\r\n');
      else drip(s, 'HTTP/1.1 200 Connection established\r\n\r\n', 200);
    });
  });
  return listen(server, host);
}

/**
 * Cross-check against Node's own HTTP/2 stack (nghttp2): a loopback `node:http2` server, spoken to
 * over a raw `node:net` socket with our frame codec and our HPACK encoder/decoder only.
 */
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concat } from '../bytes.js';
import { FrameDecoder } from '../http2/frame.js';
import { encodeFrame, headersFrame, settingsFrame } from '../http2/frame-encode.js';
import { type Frame } from '../http2/frame-types.js';
import { CLIENT_PREFACE } from '../http2/registry.js';
import { HpackDecoder } from './decoder.js';
import { HpackEncoder, type HeaderInput } from './encoder.js';

interface Response {
  headers: Array<[string, string]>;
  neverIndexed: string[];
  body: string;
}

let server: http2.Http2Server;
let port: number;

beforeAll(async () => {
  server = http2.createServer();
  server.on('stream', (stream, headers) => {
    const sensitive = (headers as unknown as Record<symbol, string[] | undefined>)[http2.sensitiveHeaders] ?? [];
    stream.respond({
      ':status': 200,
      'content-type': 'text/plain; charset=utf-8',
      'x-echo-path': String(headers[':path']),
      'x-echo-custom': String(headers['x-custom'] ?? ''),
      // Node hands field octets over as latin1: recover the UTF-8 octets we sent.
      'x-echo-unicode': encodeURIComponent(Buffer.from(String(headers['x-unicode'] ?? ''), 'latin1').toString('utf8')),
      'x-echo-sensitive': sensitive.join(','),
      'x-secret': 'hunter2',
      [http2.sensitiveHeaders]: ['x-secret'],
    });
    stream.end(`hello ${String(headers[':path'])}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Send requests on one connection, in order; collect each response through our decoders. */
async function exchange(requests: HeaderInput[][], encoder: HpackEncoder): Promise<{ responses: Response[]; frames: Frame[] }> {
  const socket = net.connect(port, '127.0.0.1');
  const frames: Frame[] = [];
  const responses: Response[] = [];
  const decoder = new HpackDecoder();
  const frameDecoder = new FrameDecoder();
  const blocks = new Map<number, Uint8Array[]>();
  const pending = new Map<number, Response>();
  const te = new TextDecoder();
  try {
    await new Promise<void>((resolve, reject) => {
      socket.on('error', reject);
      socket.on('close', () => reject(new Error('server closed the connection before all responses')));
      socket.on('connect', () => {
        // RFC 9113 §3.4: preface, then our SETTINGS, then the requests on streams 1, 3, 5…
        const out = [CLIENT_PREFACE, encodeFrame(settingsFrame({ ENABLE_PUSH: 0 }))];
        requests.forEach((req, i) => out.push(encodeFrame(headersFrame(1 + 2 * i, encoder.encode(req), { endStream: true, endHeaders: true }))));
        socket.write(concat(out));
      });
      socket.on('data', (chunk: Buffer) => {
        try {
          frameDecoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
          for (let f = frameDecoder.next(); f; f = frameDecoder.next()) {
            frames.push(f);
            if (f.kind === 'SETTINGS' && !f.ack) socket.write(encodeFrame(settingsFrame([], true)));
            if (f.kind === 'HEADERS' || f.kind === 'CONTINUATION') {
              const parts = blocks.get(f.streamId) ?? [];
              parts.push(f.fieldBlockFragment);
              blocks.set(f.streamId, parts);
              if (f.endHeaders) {
                const out = decoder.decode(concat(parts));
                blocks.delete(f.streamId);
                pending.set(f.streamId, {
                  headers: out.headers,
                  neverIndexed: out.headers.filter((_, i) => out.neverIndexed[i]).map(([n]) => n),
                  body: '',
                });
              }
            }
            if (f.kind === 'DATA') pending.get(f.streamId)!.body += te.decode(f.data);
            if ((f.kind === 'DATA' || f.kind === 'HEADERS') && f.endStream) {
              responses[(f.streamId - 1) / 2] = pending.get(f.streamId)!;
              if (responses.filter(Boolean).length === requests.length) resolve();
            }
            if (f.kind === 'GOAWAY') reject(new Error(`server sent GOAWAY ${f.errorName}`));
          }
        } catch (e) {
          reject(e as Error);
        }
      });
    });
  } finally {
    socket.destroy();
  }
  return { responses, frames };
}

const header = (r: Response, name: string): string | undefined => r.headers.find(([n]) => n === name)?.[1];

describe('HPACK and frames against node:http2 on 127.0.0.1', () => {
  const request = (path: string): HeaderInput[] => [
    [':method', 'GET'],
    [':scheme', 'http'],
    [':authority', `127.0.0.1:${port}`],
    [':path', path],
    ['x-custom', 'custom-value'],
    ['x-unicode', 'grüße ✓'],
    ['authorization', 'Bearer abc', true],
  ];

  it.each([
    ['Huffman when shorter, indexing', {}],
    ['no Huffman, no indexing', { huffman: false, indexing: false }],
    ['Huffman always', { huffman: true }],
  ] as const)('%s: Node decodes our blocks and we decode its responses, across three requests', async (_label, opts) => {
    const { responses, frames } = await exchange([request('/one'), request('/two'), request('/three')], new HpackEncoder(opts));
    expect(frames[0]).toMatchObject({ kind: 'SETTINGS', ack: false });
    expect(responses).toHaveLength(3);
    ['/one', '/two', '/three'].forEach((path, i) => {
      const r = responses[i]!;
      expect(header(r, ':status')).toBe('200');
      expect(header(r, 'content-type')).toBe('text/plain; charset=utf-8');
      expect(header(r, 'x-echo-path')).toBe(path);
      expect(header(r, 'x-echo-custom')).toBe('custom-value');
      expect(decodeURIComponent(header(r, 'x-echo-unicode')!)).toBe('grüße ✓');
      // Our never-indexed request field arrived flagged; Node's sensitive response field arrives flagged.
      expect(header(r, 'x-echo-sensitive')).toBe('authorization');
      expect(header(r, 'x-secret')).toBe('hunter2');
      expect(r.neverIndexed).toEqual(['x-secret']);
      expect(r.body).toBe(`hello ${path}`);
    });
    // Node indexes repeated response fields, so later blocks lean on the dynamic table we mirror.
    const blockSizes = frames.filter((f) => f.kind === 'HEADERS').map((f) => f.length);
    expect(blockSizes[1]).toBeLessThan(blockSizes[0]!);
  });
});

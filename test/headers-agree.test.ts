/**
 * One `-H` filter for every probe family (src/probes/headers.ts): each family's request, as a
 * loopback server receives it, carries the same user fields. A user's Content-Length, Transfer-Encoding
 * and Host reach no server (the probes send no body and own the authority); an ordinary field reaches
 * every one; HTTP/2 gets no connection-specific field and lower-case names.
 */
import http2 from 'node:http2';
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectTcp } from '../src/transport/conn.js';
import type { ProbeContext } from '../src/probes/context.js';
import { probeH1Cleartext, probeH2cPrior, probeH2cUpgrade, probeHttp1Pair } from '../src/probes/run.js';
import { probeH1Request } from '../src/probes/upgrade/h1-request.js';
import { probeWebSocket } from '../src/probes/upgrade/websocket.js';
import { probeExtendedConnect } from '../src/probes/upgrade/extended-connect.js';
import { filterUserHeaders } from '../src/probes/headers.js';
import { parseTarget } from '../src/model/target.js';

const USER: Array<[string, string]> = [
  ['X-Trace', 'abc'],
  ['Authorization', 'Bearer t'],
  ['Content-Length', '10'],
  ['Transfer-Encoding', 'chunked'],
  ['Host', 'elsewhere.test'],
  ['Keep-Alive', 'timeout=5'],
  ['TE', 'trailers'],
];

/** Every request the server got: which probe (by its path or protocol) and its header fields. */
const got: Array<{ via: 'h1' | 'h2'; line: string; fields: Array<[string, string]> }> = [];
let server: net.Server;
let port: number;
let h2Port: number;
const h2 = http2.createServer({ settings: { enableConnectProtocol: true } });
h2.on('stream', (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, _flags: number, raw: string[]) => {
  const fields: Array<[string, string]> = [];
  for (let i = 0; i < raw.length; i += 2) fields.push([raw[i]!, raw[i + 1]!]);
  got.push({ via: 'h2', line: `${headers[':method']} ${headers[':path']}`, fields });
  stream.respond({ ':status': headers[':method'] === 'CONNECT' ? 404 : 200 });
  stream.end();
});

beforeAll(async () => {
  await new Promise<void>((r) => h2.listen(0, '127.0.0.1', r));
  h2Port = (h2.address() as net.AddressInfo).port;
  server = net.createServer((sock) => {
    sock.on('error', () => {});
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 24 && 'PRI * HTTP/2.0'.startsWith(buf.toString('latin1').slice(0, 14))) return;
      if (buf.toString('latin1').startsWith('PRI * HTTP/2.0')) {
        // HTTP/2 by prior knowledge: relayed to the node:http2 server, which records the fields.
        sock.off('data', onData);
        const up = net.connect(h2Port, '127.0.0.1', () => up.write(buf));
        up.on('error', () => sock.destroy());
        sock.pipe(up).pipe(sock);
        return;
      }
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      sock.off('data', onData);
      const [line, ...rest] = buf.subarray(0, end).toString('latin1').split('\r\n');
      got.push({ via: 'h1', line: line!, fields: rest.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]) });
      sock.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    };
    sock.on('data', onData);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => h2.close(r));
  await new Promise((r) => server.close(r));
});

function ctx(path: string): ProbeContext {
  return {
    target: parseTarget(`http://127.0.0.1:${port}${path}`),
    address: '127.0.0.1',
    port,
    timeoutMs: 3000,
    byteBudget: 1 << 20,
    t0: performance.now(),
    userAgent: 'h2doctor-test',
    options: { headers: USER },
    dial: (a, p, t) => connectTcp(a, p, t),
  };
}

/** The user's fields among what the server received (the probe's own fields left out). */
const theUsers = (fields: Array<[string, string]>) => fields.filter(([k]) => k.toLowerCase() !== 'host' && USER.some(([u]) => u.toLowerCase() === k.toLowerCase()));

describe('every probe family sends the same user -H fields', () => {
  test('core HTTP/1.1 (alone and the keep-alive pair), h2c upgrade, h2c prior knowledge, upgrade-family HTTP/1.x, WebSocket, extended CONNECT', async () => {
    await probeH1Cleartext(ctx('/core-h1'));
    await probeHttp1Pair(ctx('/pair'));
    await probeH2cUpgrade(ctx('/h2c-upgrade'));
    await probeH2cPrior(ctx('/h2c-prior'));
    await probeH1Request(ctx('/strip'), 'strip-no-connection', { version: '1.1', headers: [['Upgrade', 'websocket']] });
    await probeH1Request(ctx('/http10'), 'http10', { version: '1.0' });
    await probeWebSocket(ctx('/ws'), { path: '/ws', trigger: 'option' });
    await probeExtendedConnect(ctx('/ws-h2'), { path: '/ws-h2' });

    const lines = got.map((g) => `${g.via} ${g.line}`);
    for (const want of ['h1 GET /core-h1', 'h1 GET /pair HTTP/1.1', 'h1 GET /http10 HTTP/1.0', 'h1 GET /h2c-upgrade', 'h2 GET /h2c-prior', 'h1 GET /strip', 'h1 GET /ws', 'h2 CONNECT /ws-h2']) {
      expect(lines.some((l) => l.startsWith(want)), `${want} in ${lines.join(' | ')}`).toBe(true);
    }
    const h1 = got.filter((g) => g.via === 'h1');
    const h2s = got.filter((g) => g.via === 'h2');
    expect(h1.length).toBeGreaterThanOrEqual(6);
    expect(h2s).toHaveLength(2);
    for (const g of h1) expect(theUsers(g.fields), g.line).toEqual([['X-Trace', 'abc'], ['Authorization', 'Bearer t'], ['Keep-Alive', 'timeout=5'], ['TE', 'trailers']]);
    for (const g of h2s) expect(theUsers(g.fields), g.line).toEqual([['x-trace', 'abc'], ['authorization', 'Bearer t']]);
    // The authority is the target's, never the user's Host.
    for (const g of h1) expect(g.fields.filter(([k]) => k.toLowerCase() === 'host')).toEqual([['Host', `127.0.0.1:${port}`]]);
  }, 30_000);

  test('the filter itself: framing and authority always dropped, connection-specific fields for HTTP/2 too, reserved fields in any case', () => {
    expect(filterUserHeaders(USER, '1.1')).toEqual([['X-Trace', 'abc'], ['Authorization', 'Bearer t'], ['Keep-Alive', 'timeout=5'], ['TE', 'trailers']]);
    expect(filterUserHeaders(USER, '2')).toEqual([['x-trace', 'abc'], ['authorization', 'Bearer t']]);
    expect(filterUserHeaders(USER, '1.1', ['x-TRACE'])).toEqual([['Authorization', 'Bearer t'], ['Keep-Alive', 'timeout=5'], ['TE', 'trailers']]);
    expect(filterUserHeaders(undefined, '2')).toEqual([]);
  });

  test("no probe reads the user's headers but through the one filter", () => {
    const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path.join(d, e.name)] : []));
    const readers = walk(path.join(__dirname, '../src/probes')).filter((f) => /options\.headers/.test(fs.readFileSync(f, 'utf8')));
    expect(readers.map((f) => path.relative(path.join(__dirname, '..'), f))).toEqual(['src/probes/headers.ts']);
  });
});

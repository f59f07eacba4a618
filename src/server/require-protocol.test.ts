import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import { afterEach, beforeAll, describe, expect, it, test } from 'vitest';
import { createLabPki } from '../lab/pki.js';
import { listen as labListen } from '../lab/servers.js';
import { readDeprecationInfo } from '../wire/http/deprecation.js';
import { findProblemLink, parseProblem } from '../wire/http/problem.js';
import { hasConnectionOption, parseConnection, parseUpgrade, upgradeFamilies } from '../wire/http/upgrade.js';
import {
  evaluate,
  type GuardRequest,
  type GuardResponse,
  inspectRequest,
  requestPath,
  requireProtocol,
  requireProtocolFastify,
  type RequestProtocol,
  type RequireProtocolOptions,
} from './index.js';

const DEPRECATED = new Date('2025-01-01T00:00:00Z');
const SUNSET = new Date('2030-06-30T23:59:59Z');
const GUIDE = 'https://docs.example.com/migrate-to-http2';
const H2_ONLY: RequireProtocolOptions = {
  minHttpVersion: '2.0',
  problem: { type: 'https://docs.example.com/problems/http2-required', migrationGuide: GUIDE },
  deprecation: DEPRECATED,
  sunset: SUNSET,
  links: [{ href: 'https://docs.example.com/sunset-policy', rel: 'sunset' }],
};

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

// --- server plumbing: every server and socket a test opens is closed in afterEach --------------------

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

type AnyServer = http.Server | http2.Http2Server | http2.Http2SecureServer;
/** The lab's listen() (every socket tracked, ended by stop()), stopped in afterEach. */
async function listen(server: AnyServer): Promise<{ port: number }> {
  const l = await labListen(server);
  cleanups.push(l.stop);
  return { port: l.port };
}

function handler(guard: ReturnType<typeof requireProtocol>, seen?: RequestProtocol[]) {
  return (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => {
    seen?.push(inspectRequest(req));
    if (!guard(req, res)) return;
    res.setHeader('content-type', 'text/plain');
    res.end(`ok ${req.httpVersion}`);
  };
}

function h1Request(mod: typeof http | typeof https, port: number, path: string, extra: https.RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = mod.request({ host: '127.0.0.1', port, path, agent: false, ...extra }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function h2Request(authority: string, path: string, opts: http2.SecureClientSessionOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const client = http2.connect(authority, opts);
    cleanups.push(async () => void client.destroy());
    client.on('error', reject);
    const req = client.request({ ':path': path });
    let headers: http2.IncomingHttpHeaders = {};
    let body = '';
    req.setEncoding('utf8');
    req.on('response', (h) => (headers = h));
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      client.close();
      resolve({ status: Number(headers[':status']), headers: headers as Reply['headers'], body });
    });
    req.on('error', reject);
    req.end();
  });
}

/** What h2doctor's upgrade rules will check of a 426, using our own parsers. */
function expectGood426(r: Reply, path: string, families: string[]) {
  expect(r.status).toBe(426);
  const upgrade = parseUpgrade(r.headers['upgrade']);
  expect(upgrade.malformed).toBe(false);
  expect(upgrade.protocols.length).toBeGreaterThan(0); // no upgrade-header-missing
  expect(upgradeFamilies(upgrade)).toEqual(families);
  expect(hasConnectionOption(parseConnection(r.headers['connection']), 'upgrade')).toBe(true);
  const problem = parseProblem(r.headers['content-type'] as string, r.body, { httpStatus: 426 });
  expect(problem.ok).toBe(true); // no upgrade-problem-details-missing
  if (!problem.ok) return undefined;
  expect(problem.warnings).toEqual([]);
  expect(problem.problem).toMatchObject({ status: 426, title: 'Upgrade Required', instance: path });
  return problem.problem;
}

// --- a certificate for 127.0.0.1 from the lab PKI (made at run time, @peculiar/x509) --------------------

let tls: { key: string; cert: string; ca: string };
beforeAll(async () => {
  const leaf = await (await createLabPki()).issue({ names: ['127.0.0.1'] });
  tls = { key: leaf.keyPem, cert: leaf.chainPem, ca: leaf.caPem };
});

// --- real servers ----------------------------------------------------------------------------------------

describe('requireProtocol on real servers (127.0.0.1)', () => {
  it('node:http: an HTTP/1.1 request gets a complete 426', async () => {
    const { port } = await listen(http.createServer(handler(requireProtocol(H2_ONLY))));
    const r = await h1Request(http, port, '/v1/orders?api_key=secret');
    expect(r.headers['upgrade']).toBe('HTTP/2.0');
    const p = expectGood426(r, '/v1/orders', ['h2'])!;
    expect(p.type).toBe('https://docs.example.com/problems/http2-required');
    expect(p.detail).toBe('This endpoint requires HTTP/2; this request used HTTP/1.1 over cleartext TCP.');
    expect(p.extensions).toMatchObject({ migration_guide: GUIDE, deadline: SUNSET.toISOString(), required_protocols: ['HTTP/2.0'] });
    expect(findProblemLink(p, /migration_guide/)?.url).toBe(GUIDE);
    expect(r.body).not.toContain('secret');

    const info = readDeprecationInfo({ deprecation: r.headers['deprecation'], sunset: r.headers['sunset'], link: r.headers['link'] });
    expect(info.announced).toBe(true);
    expect(info.deprecation).toEqual({ malformed: false, form: 'rfc9745-date', deprecated: true, date: DEPRECATED.toISOString() });
    expect(info.sunset).toMatchObject({ malformed: false, date: SUNSET.toISOString() });
    expect(info.links.deprecation.map((l) => l.href)).toEqual([GUIDE]);
    expect(info.links.sunset.map((l) => l.href)).toEqual(['https://docs.example.com/sunset-policy']);
    expect(info.linkErrors).toEqual([]);
  });

  it('node:http: Connection says close only when the connection will close', async () => {
    const { port } = await listen(http.createServer(handler(requireProtocol(H2_ONLY))));
    const closing = await h1Request(http, port, '/a'); // agent: false sends Connection: close
    expect(closing.headers['connection']).toBe('Upgrade, close');
    const agent = new http.Agent({ keepAlive: true });
    cleanups.push(async () => agent.destroy());
    const kept = await h1Request(http, port, '/a', { agent });
    expect(kept.headers['connection']).toBe('Upgrade');
  });

  it('node:http: HEAD gets the 426 fields without a body', async () => {
    const { port } = await listen(http.createServer(handler(requireProtocol(H2_ONLY))));
    const r = await h1Request(http, port, '/x', { method: 'HEAD' });
    expect(r.status).toBe(426);
    expect(r.headers['upgrade']).toBe('HTTP/2.0');
    expect(r.body).toBe('');
  });

  it('node:http2 cleartext (prior knowledge): an HTTP/2 request passes', async () => {
    const seen: RequestProtocol[] = [];
    const { port } = await listen(http2.createServer(handler(requireProtocol(H2_ONLY), seen)));
    const r = await h2Request(`http://127.0.0.1:${port}`, '/v1/orders');
    expect(r).toMatchObject({ status: 200, body: 'ok 2.0' });
    expect(r.headers['deprecation']).toBeUndefined();
    expect(seen).toEqual([{ httpVersion: '2.0', tls: false }]);
  });

  it('node:http2 over TLS with allowHTTP1: HTTP/1.1 gets 426, HTTP/2 passes', async () => {
    const seen: RequestProtocol[] = [];
    const guard = requireProtocol({ ...H2_ONLY, minTlsVersion: '1.2' });
    const { port } = await listen(http2.createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1: true }, handler(guard, seen)));
    const h1 = await h1Request(https, port, '/api', { ca: tls.ca });
    expect(h1.headers['upgrade']).toBe('HTTP/2.0');
    expectGood426(h1, '/api', ['h2']);
    const h2 = await h2Request(`https://127.0.0.1:${port}`, '/api', { ca: tls.ca });
    expect(h2).toMatchObject({ status: 200, body: 'ok 2.0' });
    expect(seen).toEqual([
      { httpVersion: '1.1', tls: true, tlsVersion: '1.3' },
      { httpVersion: '2.0', tls: true, tlsVersion: '1.3' },
    ]);
  });

  it('requireTls on cleartext HTTP/1.1: Upgrade names TLS (RFC 2817 §4.2 form)', async () => {
    const { port } = await listen(http.createServer(handler(requireProtocol({ requireTls: true }))));
    const r = await h1Request(http, port, '/login');
    expect(r.headers['upgrade']).toBe('TLS/1.2, HTTP/1.1');
    const p = expectGood426(r, '/login', ['tls', 'http'])!;
    expect(p.detail).toBe('This endpoint requires TLS (https); this request used HTTP/1.1 over cleartext TCP.');
    expect(r.headers['deprecation']).toBeUndefined();
    expect(r.headers['link']).toBeUndefined();
  });

  it('requireTls on h2c: a 426 without connection-specific fields (RFC 9113 §8.2.2)', async () => {
    const { port } = await listen(http2.createServer(handler(requireProtocol({ requireTls: true, minHttpVersion: '2.0' }))));
    const r = await h2Request(`http://127.0.0.1:${port}`, '/p');
    expect(r.status).toBe(426);
    expect(r.headers['upgrade']).toBeUndefined();
    const p = parseProblem(r.headers['content-type'] as string, r.body, { httpStatus: 426 });
    expect(p.ok && p.problem.extensions['required_protocols']).toEqual(['TLS/1.2', 'HTTP/2.0']);
  });
});

// --- middleware shapes with fakes ------------------------------------------------------------------------

function fakeRes(): GuardResponse & { headers: Record<string, string>; body: string | undefined; ended: boolean } {
  return {
    statusCode: 200,
    headersSent: false,
    headers: {},
    body: undefined,
    ended: false,
    setHeader(name: string, value: string) {
      this.headers[name.toLowerCase()] = value;
    },
    end(chunk?: string) {
      this.body = chunk;
      this.ended = true;
    },
  };
}
const h11: GuardRequest = { httpVersionMajor: 1, httpVersionMinor: 1, method: 'GET', url: '/orders', originalUrl: '/api/orders?x=1' };
const h20: GuardRequest = { httpVersionMajor: 2, httpVersionMinor: 0, method: 'GET', url: '/orders' };

describe('Express/Connect style', () => {
  it('calls next() for a request that meets the requirement, and touches nothing', () => {
    const res = fakeRes();
    let called = 0;
    expect(requireProtocol(H2_ONLY)(h20, res, () => called++)).toBe(true);
    expect(called).toBe(1);
    expect(res).toMatchObject({ statusCode: 200, headers: {}, ended: false });
  });

  it('answers 426 and does not call next() otherwise; instance is originalUrl without query', () => {
    const res = fakeRes();
    let called = 0;
    expect(requireProtocol(H2_ONLY)(h11, res, () => called++)).toBe(false);
    expect(called).toBe(0);
    expect(res.statusCode).toBe(426);
    expect(res.headers['upgrade']).toBe('HTTP/2.0');
    const p = parseProblem(res.headers['content-type'], res.body!);
    expect(p.ok && p.problem.instance).toBe('/api/orders');
  });

  it('does nothing if headers were already sent', () => {
    const res = { ...fakeRes(), headersSent: true };
    requireProtocol(H2_ONLY)(h11, res);
    expect(res.ended).toBe(false);
  });

  it('grace period: before enforceFrom, lets the request through with Deprecation/Sunset/Link only', () => {
    const opts = { ...H2_ONLY, enforceFrom: new Date('2030-01-01T00:00:00Z') };
    const before = fakeRes();
    let called = 0;
    requireProtocol({ ...opts, now: () => new Date('2029-12-31T00:00:00Z') })(h11, before, () => called++);
    expect(called).toBe(1);
    expect(before.statusCode).toBe(200);
    expect(Object.keys(before.headers).sort()).toEqual(['deprecation', 'link', 'sunset']);
    const after = fakeRes();
    requireProtocol({ ...opts, now: () => new Date('2030-01-01T00:00:00Z') })(h11, after, () => called++);
    expect(called).toBe(1);
    expect(after.statusCode).toBe(426);
  });

  it('custom inspect (TLS terminated by a proxy)', () => {
    const guard = requireProtocol({ requireTls: true, inspect: () => ({ httpVersion: '1.1', tls: true }) });
    expect(guard(h11, fakeRes())).toBe(true);
  });

  it('rejects options that require nothing or carry bad URLs', () => {
    expect(() => requireProtocol({})).toThrow(TypeError);
    expect(() => requireProtocol({ minHttpVersion: '2.0', problem: { migrationGuide: 'docs/h2' } })).toThrow(TypeError);
    expect(() => requireProtocol({ minHttpVersion: '2.0', links: [{ href: 'javascript:alert(1)', rel: 'x' }] })).toThrow(TypeError);
    expect(() => requireProtocol({ minHttpVersion: '2.0', upgrade: 'h2\r\nX: y' })).toThrow(TypeError);
  });
});

describe('Fastify onRequest', () => {
  it('done() when fine; hijack + 426 otherwise', () => {
    const hook = requireProtocolFastify(H2_ONLY);
    let done = 0;
    let hijacked = 0;
    const ok = { raw: fakeRes(), hijack: () => hijacked++ };
    hook({ raw: h20 }, ok, () => done++);
    expect([done, hijacked, ok.raw.statusCode]).toEqual([1, 0, 200]);
    const bad = { raw: fakeRes(), hijack: () => hijacked++ };
    hook({ raw: h11 }, bad, () => done++);
    expect([done, hijacked, bad.raw.statusCode, bad.raw.headers['upgrade']]).toEqual([1, 1, 426, 'HTTP/2.0']);
  });
});

describe('evaluate', () => {
  test.each([
    [{ httpVersion: '1.1', tls: true }, { minHttpVersion: '2.0' }, { ok: false, missing: ['http-version'], required: ['HTTP/2.0'] }],
    [{ httpVersion: '2.0', tls: true }, { minHttpVersion: '2.0' }, { ok: true }],
    [{ httpVersion: '1.0', tls: false }, { minHttpVersion: '1.1' }, { ok: false, missing: ['http-version'], required: ['HTTP/1.1'] }],
    [{ httpVersion: '1.1', tls: false }, { minHttpVersion: '1.1' }, { ok: true }],
    [{ httpVersion: '1.1', tls: false }, { requireTls: true, minHttpVersion: '2.0' }, { ok: false, missing: ['http-version', 'tls'], required: ['TLS/1.2', 'HTTP/2.0'] }],
    [{ httpVersion: '1.0', tls: false }, { requireTls: true }, { ok: false, missing: ['tls'], required: ['TLS/1.2', 'HTTP/1.1'] }],
    [{ httpVersion: '1.1', tls: true, tlsVersion: '1.1' }, { minTlsVersion: '1.2' }, { ok: false, missing: ['tls-version'], required: ['TLS/1.2', 'HTTP/1.1'] }],
    [{ httpVersion: '1.1', tls: true, tlsVersion: '1.2' }, { minTlsVersion: '1.3' }, { ok: false, missing: ['tls-version'], required: ['TLS/1.3', 'HTTP/1.1'] }],
    [{ httpVersion: '1.1', tls: true, tlsVersion: '1.3' }, { minTlsVersion: '1.3' }, { ok: true }],
    [{ httpVersion: '1.1', tls: true }, { minTlsVersion: '1.3' }, { ok: true }],
  ] as const)('%j with %j', (p, o, want) => {
    expect(evaluate(p as RequestProtocol, o as RequireProtocolOptions)).toEqual(want);
  });

  test.each([
    ['/a/b?c=d#e', '/a/b'],
    ['http://proxy.example/x?y', '/x'],
    ['*', '*'],
  ])('requestPath(%j) = %j', (url, path) => expect(requestPath({ url })).toBe(path));
});

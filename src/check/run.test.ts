import { describe, expect, it } from 'vitest';
import type { DiagnoseOptions } from '../diagnose.js';
import type { Probe, Report } from '../model/index.js';
import { parseChecksFile } from './parse.js';
import { diagnoseOptionsFor, evidenceFromReport, runChecks, targetPins, WEBSOCKET_NOT_COLLECTED } from './run.js';
import type { CheckPlan, ResolvedCheck } from './types.js';

const common = { address: '127.0.0.1', port: 8080, startMs: 0, durationMs: 1, bytesSent: 0, bytesReceived: 0, connect: { ok: true as const, ms: 1 } };

function report(probes: Probe[], over: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'h2doctor', version: '0.0.0' },
    target: { url: 'http://a.test:8080/', scheme: 'http', host: 'a.test', port: 8080, path: '/', tls: false, sni: 'a.test' },
    startedAt: '2026-01-01T00:00:00Z',
    durationMs: 5,
    verdict: 'ok',
    resolution: { source: 'resolve-pin', addresses: ['127.0.0.1'], skipped: [] },
    addresses: [],
    negotiated: { protocol: 'h2c' },
    findings: [],
    probes,
    connections: probes.length,
    ...over,
  };
}

const check = (over: Partial<ResolvedCheck> = {}): ResolvedCheck => ({
  name: 'c',
  env: 'e',
  url: 'http://a.test:8080/',
  method: 'GET',
  headers: {},
  expect: { protocol: 'h2c' },
  line: 3,
  ...over,
});

describe('targetPins', () => {
  it('groups one-address pins per host:port, as diagnose takes them', () => {
    expect(
      targetPins([
        { host: 'A.test', port: 443, address: '127.0.0.1' },
        { host: 'a.test', port: 443, address: '::1' },
        { host: 'b.test', port: 80, address: '127.0.0.1' },
      ]),
    ).toEqual([
      { host: 'a.test', port: 443, addresses: ['127.0.0.1', '::1'], raw: 'a.test:443:127.0.0.1,[::1]' },
      { host: 'b.test', port: 80, addresses: ['127.0.0.1'], raw: 'b.test:80:127.0.0.1' },
    ]);
  });
});

describe('diagnoseOptionsFor', () => {
  const env = { name: 'e', resolve: [], proxy: 'http://proxy.test:3128' };
  it('passes proxy, method, headers, and asks for a WebSocket upgrade on the check path', () => {
    const o = diagnoseOptionsFor(
      check({ url: 'https://a.test/chat?x=1', method: 'POST', headers: { 'X-A': '1' }, expect: { websocket: { subprotocol: 'chat.v1' } } }),
      env,
      { timeoutMs: 700, ca: 'PEM' },
    );
    expect(o).toMatchObject({ timeoutMs: 700, ca: 'PEM', proxy: 'http://proxy.test:3128', method: 'POST', headers: [['X-A', '1']], websocket: '/chat?x=1', wsProtocols: ['chat.v1'] });
  });
  it('without a proxy in the environment, consults only the variables it is given', () => {
    const o = diagnoseOptionsFor(check(), { name: 'e', resolve: [] }, {});
    expect(o.proxy).toBeUndefined();
    expect(o.env).toEqual({});
    expect(o.method).toBeUndefined();
  });
});

describe('evidenceFromReport', () => {
  const h1: Probe = { kind: 'h1', name: 'h1-cleartext', id: 'x/h1', ...common, h1: { outcome: 'response', status: 426, headers: [['Upgrade', 'h2c']], bodyPreview: '{"detail":"x"}' } };
  const up: Probe = {
    kind: 'h2c-upgrade',
    id: 'x/up',
    ...common,
    upgrade: { outcome: 'response', status: 101 },
    h2: { via: 'upgrade', outcome: 'response', status: 204, headers: [[':status', '204']], frames: [] },
  };
  const prior: Probe = { kind: 'h2', name: 'h2c-prior-knowledge', id: 'x/pk', ...common, h2: { via: 'prior-knowledge', outcome: 'closed', frames: [] } };

  it('maps cleartext probes to http/1.1 and h2c (Upgrade when prior knowledge got no response)', () => {
    const ev = evidenceFromReport(report([h1, prior, up]), check(), new Date(0));
    expect(ev.statusByProtocol).toEqual({
      'http/1.1': { status: 426, headers: [['Upgrade', 'h2c']], body: '{"detail":"x"}' },
      h2c: { status: 204, headers: [[':status', '204']] },
    });
    expect(ev.negotiatedProtocol).toBe('h2c');
    expect(ev.alpn).toEqual([]);
    expect(ev.tlsVersion).toBeUndefined();
  });

  it('with a protocol matrix, the probes it names answer for each protocol (the diagnosis\'s choice), with their full headers', () => {
    const other: Probe = { ...h1, id: 'y/h1', address: '127.0.0.2', h1: { outcome: 'response', status: 200, headers: [['Server', 'b']] } } as Probe;
    const matrix = [
      { address: '127.0.0.2', protocol: 'HTTP/1.1' as const, via: 'cleartext', status: 200, outcome: 'response', headers: {}, probe: 'y/h1' },
      { address: '127.0.0.2', protocol: 'HTTP/2' as const, via: 'h2c upgrade', status: 204, outcome: 'response', headers: {}, probe: 'x/up' },
    ];
    const ev = evidenceFromReport(report([h1, other, up], { matrix }), check(), new Date(0));
    expect(ev.statusByProtocol).toEqual({ 'http/1.1': { status: 200, headers: [['Server', 'b']] }, h2c: { status: 204, headers: [[':status', '204']] } });
  });

  it('ALPN: every value selected across handshakes; null when handshakes carried none', () => {
    const tls = (alpn: string | null): Probe => ({ kind: 'tls', name: 'tls-default', id: 'x/t', ...common, tls: { offeredAlpn: ['h2'], sni: null, outcome: 'handshake', version: 'TLSv1.3', alpn, cert: { validTo: 'Jan  1 00:00:00 2030 GMT' } as never } });
    expect(evidenceFromReport(report([tls('h2'), tls('http/1.1'), tls('h2')]), check(), new Date(0)).alpn).toEqual(['h2', 'http/1.1']);
    const none = evidenceFromReport(report([tls(null)]), check(), new Date(0));
    expect(none.alpn).toBeNull();
    expect(none.tlsVersion).toBe('TLSv1.3');
    expect(none.certValidTo).toBe('Jan  1 00:00:00 2030 GMT');
  });

  it('reads the upgrade family\'s WebSocket handshake and the whole body of a 426, by shape', () => {
    const ws = {
      kind: 'websocket',
      name: 'ws-upgrade',
      id: 'x/ws',
      ...common,
      request: { method: 'GET', path: '/', version: '1.1', headers: [['Sec-WebSocket-Protocol', 'chat.v1, chat.v2']] },
      h1: { outcome: 'response', status: 101, headers: [['Sec-WebSocket-Protocol', ' chat.v2']] },
    } as unknown as Probe;
    const long = JSON.stringify({ type: 'about:blank', detail: 'x'.repeat(600) });
    const body426 = { kind: 'h1-request', name: 'body-426', id: 'x/b', ...common, h1: { outcome: 'response', status: 426 }, body: long } as unknown as Probe;
    const ev = evidenceFromReport(report([h1, ws, body426]), check({ expect: { websocket: {} } }), new Date(0));
    expect(ev.websocket).toEqual({ status: 101, subprotocol: 'chat.v2' });
    expect(ev.statusByProtocol['http/1.1']?.body).toBe(long);
    const failed = { ...ws, h1: { outcome: 'timeout' } } as unknown as Probe;
    const none = evidenceFromReport(report([failed]), check({ expect: { websocket: {} } }), new Date(0));
    expect(none.websocket).toBeUndefined();
    expect(none.websocketNotCollected).toBe('the WebSocket upgrade got no HTTP response (timeout)');
  });

  it('a WebSocket expectation without a WebSocket probe says it was not collected', () => {
    const ev = evidenceFromReport(report([h1]), check({ expect: { websocket: {} } }), new Date(0));
    expect(ev.websocket).toBeUndefined();
    expect(ev.websocketNotCollected).toBe(WEBSOCKET_NOT_COLLECTED);
  });
});

describe('runChecks', () => {
  const plan = (n: number): CheckPlan => ({
    environment: { name: 'e', resolve: [] },
    checks: Array.from({ length: n }, (_, i) => check({ name: `c${i}`, line: i + 1 })),
  });

  it('keeps the plan order and never runs more than `concurrency` at once', async () => {
    let active = 0;
    let most = 0;
    const results = await runChecks(plan(9), {
      concurrency: 3,
      diagnose: async (_url: string, _o: DiagnoseOptions) => {
        active++;
        most = Math.max(most, active);
        await new Promise((r) => setImmediate(r));
        active--;
        return report([]);
      },
    });
    expect(results.map((r) => r.name)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8']);
    expect(most).toBe(3);
    expect(results.every((r) => r.passed)).toBe(true);
  });

  it('a diagnosis past the per-check deadline, or one that throws, is an error, not a pass', async () => {
    const [late] = await runChecks(plan(1), { checkDeadlineMs: 5, diagnose: () => new Promise<Report>(() => {}) });
    expect(late).toMatchObject({ passed: false, error: expect.stringMatching(/^no result within 5 ms/) });
    const [threw] = await runChecks(plan(1), { diagnose: async () => Promise.reject(new Error('boom')) });
    expect(threw).toMatchObject({ passed: false, error: 'diagnosis failed: boom' });
  });
});

describe('${var} in resolve pins', () => {
  const text = (pin: string) => `version: 1
environments:
  lab:
    resolve: ["${pin}"]
checks:
  - name: x
    url: https://localhost:8443/
    expect: { protocol: h2 }
`;
  it('is filled in from the variables, then read as a pin', () => {
    const r = parseChecksFile(text('localhost:${PORT}:127.0.0.1'), 'c.yaml', { env: 'lab', processEnv: { PORT: '8443' } });
    expect(r.ok && r.plan?.environment.resolve).toEqual([{ host: 'localhost', port: 8443, address: '127.0.0.1' }]);
  });
  it('reports an undefined variable, or a value that is no pin, at the pin', () => {
    const a = parseChecksFile(text('${PIN}'), 'c.yaml', { env: 'lab', processEnv: {} });
    expect(!a.ok && a.errors.map((e) => [e.line, e.message])).toEqual([[4, "undefined variable 'PIN' in resolve entry: not in environments.lab.variables nor the process environment"]]);
    const b = parseChecksFile(text('${PIN}'), 'c.yaml', { env: 'lab', processEnv: { PIN: 'localhost:8443:nowhere' } });
    expect(!b.ok && b.errors.map((e) => [e.line, e.message])).toEqual([[4, "resolve entry 'localhost:8443:nowhere': 'nowhere' is not an IP address (from '${PIN}')"]]);
  });
  it('a template error in a pin is a file error without --env', () => {
    const r = parseChecksFile(text('localhost:${P:1'), 'c.yaml');
    expect(!r.ok && r.errors[0]?.line).toBe(4);
  });
});

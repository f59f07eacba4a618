/**
 * The trace of each protocol- and transport-family lab scenario shows the line that proves its
 * finding: asserted on the trace's events (what arrived, the problem said on it) and findings (which
 * code), and on the words of the rendered lines, never on their column widths. Loopback only; every
 * scenario started is stopped.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { ALL_SCENARIOS } from '../src/lab/scenarios.js';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { diagnose } from '../src/diagnose.js';
import { runTrace } from '../src/trace/session.js';
import { renderTrace } from '../src/report/trace.js';
import { parseResolve, parseTarget } from '../src/model/target.js';
import type { TraceOptions, TraceResult } from '../src/trace/types.js';

let pki: LabPki;
beforeAll(async () => {
  pki = await createLabPki();
});

async function traceScenario(id: string, more: TraceOptions = {}): Promise<{ r: TraceResult; text: string }> {
  const s = ALL_SCENARIOS.find((x) => x.id === id);
  if (!s) throw new Error(`no scenario ${id}`);
  const run = await s.start({ pki });
  try {
    const r = await runTrace(parseTarget(run.url), { ca: pki.rootCa.certPem, resolve: (run.resolve ?? []).map(parseResolve), timeoutMs: run.timeoutMs ?? 3000, ...more });
    return { r, text: renderTrace(r.events, {}, r.findings) };
  } finally {
    await run.stop();
  }
}

/** A problem said on an event: its level and what its text matches. */
const said = (level: 'error' | 'info', re: RegExp) => expect.objectContaining({ level, text: expect.stringMatching(re) });

/** An event with these fields (asymmetric matchers allowed), and among its problems these. */
const ev = (fields: Record<string, unknown>, ...problems: unknown[]) => expect.objectContaining({ ...fields, ...(problems.length ? { problems: expect.arrayContaining(problems) } : {}) });

/** A frame event, by direction and type name. */
const frame = (dir: 'in' | 'out', typeName: string, fields: Record<string, unknown> = {}, ...problems: unknown[]) => ev({ kind: 'frame', dir, typeName, ...fields }, ...problems);

/**
 * The rendered text's words, without its columns: each line trimmed, runs of blanks as one space
 * (how wide the columns are is the renderer's business; what each line says is the test's).
 */
const words = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim().replace(/[ \t]+/g, ' '))
    .join('\n');

/** The events `want` are there, in this order (others may come between). */
function expectInOrder(events: readonly unknown[], want: readonly unknown[], text: string): void {
  let at = -1;
  for (const w of want) {
    const i = events.findIndex((e, j) => j > at && (w as { asymmetricMatch(x: unknown): boolean }).asymmetricMatch(e));
    expect(i, `event ${JSON.stringify(w)} after event #${at}\n${text}`).toBeGreaterThan(at);
    at = i;
  }
}

/**
 * Scenario → trace options → what the trace must show: the events that arrived (and the problems said
 * on them), in order; the codes the diagnosis rules give on them; and the words of the rendered lines.
 */
const CASES: Array<[string, TraceOptions, { events: unknown[]; codes?: string[]; text: RegExp[] }]> = [
  [
    'tls-alpn-no-h2',
    {},
    {
      events: [ev({ kind: 'tls', outcome: 'handshake', version: 'TLSv1.3', alpn: 'http/1.1' }, said('error', /^alpn-no-h2: /))],
      codes: ['alpn-no-h2'],
      text: [/tls ← TLSv1\.3 .* ALPN http\/1\.1/, /✗ alpn-no-h2: /],
    },
  ],
  [
    'tls-alpn-ignored',
    {},
    {
      events: [
        ev({ kind: 'tls', outcome: 'handshake', alpn: null }, said('error', /^alpn-ignored: /)),
        ev({ kind: 'bytes', dir: 'in', summary: 'HTTP/1.1 400 Bad Request', text: expect.stringMatching(/^HTTP\/1\.1 400 Bad Request\\r\\n/) }, said('error', /answered the HTTP\/2 preface with HTTP\/1\.x/)),
      ],
      codes: ['alpn-ignored', 'preface-http1-response'],
      text: [/ALPN \(none\)/, /✗ alpn-ignored: /, /"HTTP\/1\.1 400 Bad Request\\r\\n/, /answered the HTTP\/2 preface with HTTP\/1\.x/],
    },
  ],
  [
    'cleartext-http1-only',
    {},
    {
      events: [
        ev({ kind: 'http1', dir: 'out', line: 'GET / HTTP/1.1', headers: expect.arrayContaining([['Upgrade', 'h2c']]) }),
        ev({ kind: 'http1', dir: 'in', line: 'HTTP/1.1 200 OK' }, said('error', /^the server ignored Upgrade: h2c/)),
      ],
      text: [/http1 → GET \/ HTTP\/1\.1/, /Upgrade: h2c/, /http1 ← HTTP\/1\.1 200 OK/, /✗ the server ignored Upgrade: h2c/],
    },
  ],
  [
    'cleartext-http1-only',
    { priorKnowledge: true },
    {
      events: [
        ev({ kind: 'preface', dir: 'out' }),
        ev({ kind: 'bytes', dir: 'in', text: expect.stringMatching(/^HTTP\/1\.1 400 Bad Request\\r\\n/) }, said('error', /^the server answered the HTTP\/2 preface with HTTP\/1\.x/)),
      ],
      codes: ['preface-http1-response', 'h2c-not-supported'],
      text: [/h2 → preface/, /"HTTP\/1\.1 400 Bad Request\\r\\n/, /✗ the server answered the HTTP\/2 preface with HTTP\/1\.x/],
    },
  ],
  [
    'h2c-prior-knowledge-only',
    {},
    {
      events: [
        ev({ kind: 'http1', dir: 'out', headers: expect.arrayContaining([['Upgrade', 'h2c']]) }),
        ev({ kind: 'bytes', dir: 'in', summary: 'HTTP/2 SETTINGS' }, said('error', /^the server answered an HTTP\/1\.1 request with HTTP\/2 frames/)),
      ],
      text: [/Upgrade: h2c/, /HTTP\/2 SETTINGS/, /✗ the server answered an HTTP\/1\.1 request with HTTP\/2 frames/],
    },
  ],
  [
    'h2c-prior-knowledge-only',
    { priorKnowledge: true },
    {
      events: [frame('in', 'HEADERS', { streamId: 1, headers: expect.arrayContaining([[':status', '200']]) }), frame('in', 'DATA', { streamId: 1, flagNames: expect.arrayContaining(['END_STREAM']) })],
      text: [/h2 ← HEADERS stream 1/, /:status: 200/, /DATA stream 1 .*END_STREAM/],
    },
  ],
  [
    'http-to-tls-port',
    { priorKnowledge: true },
    {
      events: [ev({ kind: 'close', by: 'server' }, said('error', /^the server closed the connection after the HTTP\/2 preface without sending a single byte/), said('info', /if this port speaks TLS, use https:\/\//))],
      codes: ['preface-closed'],
      text: [/✗ the server closed the connection after the HTTP\/2 preface without sending a single byte/, /if this port speaks TLS, use https:\/\//],
    },
  ],
  [
    'https-to-cleartext-port',
    {},
    {
      events: [ev({ kind: 'tls', outcome: 'not-tls' }, said('error', /^the server answered the ClientHello with HTTP\/1\.1 400 Bad Request: this port does not speak TLS/))],
      codes: ['scheme-https-on-cleartext-port'],
      text: [/tls ← handshake not-tls/, /✗ the server answered the ClientHello with HTTP\/1\.1 400 Bad Request: this port does not speak TLS/],
    },
  ],
  [
    'preface-closed',
    {},
    {
      events: [ev({ kind: 'tls', alpn: 'h2' }), ev({ kind: 'close', by: 'server' }, said('error', /^the server closed the connection after the HTTP\/2 preface without sending a single byte/))],
      codes: ['preface-closed'],
      text: [/ALPN h2/, /✗ the server closed the connection after the HTTP\/2 preface without sending a single byte/],
    },
  ],
  [
    'preface-timeout',
    {},
    {
      events: [ev({ kind: 'tls', alpn: 'h2' }), ev({ kind: 'close', by: 'timeout' }, said('error', /^no answer to the HTTP\/2 preface within 700 ms/))],
      codes: ['preface-timeout'],
      text: [/ALPN h2/, /✗ no answer to the HTTP\/2 preface within 700 ms/, /close timeout/],
    },
  ],
  [
    'goaway-on-connect',
    {},
    {
      events: [frame('in', 'GOAWAY', { streamId: 0, errorName: 'HTTP_1_1_REQUIRED', debug: 'use HTTP/1.1', detail: expect.stringMatching(/^last_stream=0 /) }, said('error', /^GOAWAY HTTP_1_1_REQUIRED before any stream/))],
      codes: ['goaway-on-connect'],
      text: [/h2 ← GOAWAY stream 0 .* last_stream=0 HTTP_1_1_REQUIRED "use HTTP\/1\.1"/, /✗ GOAWAY HTTP_1_1_REQUIRED before any stream/],
    },
  ],
  [
    'preface-not-settings',
    {},
    {
      events: [frame('in', 'PING', {}, said('error', /^first server frame is not SETTINGS/))],
      codes: ['preface-not-settings'],
      // The problem is said on the PING's own line.
      text: [/h2 ← PING .*\n✗ first server frame is not SETTINGS/],
    },
  ],
  [
    'preface-garbage',
    {},
    {
      events: [ev({ kind: 'bytes', dir: 'in', text: 'SSH-2.0-OpenSSH_9.2p1 Debian-2\\r\\n' }, said('error', /^SSH banner/))],
      codes: ['preface-garbage'],
      text: [/"SSH-2\.0-OpenSSH_9\.2p1 Debian-2\\r\\n"/, /✗ SSH banner/],
    },
  ],
  [
    'h2-no-streams',
    {},
    {
      events: [frame('in', 'SETTINGS', { settings: expect.arrayContaining([{ name: 'MAX_CONCURRENT_STREAMS', value: 0 }]) }, said('error', /^SETTINGS_MAX_CONCURRENT_STREAMS = 0/))],
      codes: ['h2-no-streams-allowed'],
      text: [/h2 ← SETTINGS .*MAX_CONCURRENT_STREAMS=0\n✗ SETTINGS_MAX_CONCURRENT_STREAMS = 0/],
    },
  ],
  [
    'h2-only-tls',
    { alpn: ['http/1.1'] },
    {
      events: [ev({ kind: 'tls-offer', sni: 'localhost', alpn: ['http/1.1'] }), ev({ kind: 'tls', outcome: 'alert', alert: 'fatal no_application_protocol (120)' })],
      codes: ['tls-handshake-alert'],
      text: [/ClientHello SNI localhost ALPN http\/1\.1 /, /alert fatal no_application_protocol \(120\)/],
    },
  ],
  [
    'tls12-blocklisted-cipher',
    {},
    {
      events: [ev({ kind: 'tls', version: 'TLSv1.2', cipher: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA' }, said('error', /^h2-inadequate-security: /))],
      codes: ['h2-inadequate-security'],
      text: [/TLSv1\.2 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA/, /✗ h2-inadequate-security: /],
    },
  ],
  [
    'tcp-refused',
    {},
    {
      events: [ev({ kind: 'connect', ok: false, error: 'ECONNREFUSED' }, said('error', /^connection refused/))],
      codes: ['tcp-refused'],
      text: [/tcp .*ECONNREFUSED/, /✗ connection refused/],
    },
  ],
  [
    'tcp-reset',
    {},
    {
      events: [ev({ kind: 'tls', outcome: 'reset' }, said('error', /^the server reset the connection during the TLS handshake/))],
      codes: ['tcp-reset'],
      text: [/handshake reset/, /✗ the server reset the connection during the TLS handshake/],
    },
  ],
  [
    'tls-handshake-timeout',
    {},
    {
      events: [ev({ kind: 'tls-offer' }), ev({ kind: 'tls', outcome: 'timeout' }, said('error', /^no TLS answer within 700 ms/))],
      codes: ['tls-handshake-timeout'],
      text: [/tls → ClientHello/, /✗ no TLS answer within 700 ms/],
    },
  ],
  [
    'dns-no-address',
    {},
    {
      events: [ev({ kind: 'resolve', addresses: [], error: expect.stringMatching(/^ENOTFOUND/) }, said('error', /^the name does not resolve: ENOTFOUND/))],
      text: [/✗ the name does not resolve: ENOTFOUND/],
    },
  ],
];

describe('the trace of each lab scenario shows what proves its finding', () => {
  test.each(CASES.map(([id, o, want]) => [`${id}${o.priorKnowledge ? ' (prior knowledge)' : o.alpn ? ` (ALPN ${o.alpn.join(',')})` : ''}`, id, o, want] as const))('%s', async (_label, id, o, want) => {
    const { r, text } = await traceScenario(id, o);
    expectInOrder(r.events, want.events, text);
    for (const code of want.codes ?? []) expect(r.findings.map((f) => f.code), text).toContain(code);
    const shown = words(text);
    for (const re of want.text) expect(shown, text).toMatch(re);
    // Prior knowledge is what works on h2c-prior-knowledge-only: that trace is the clean contrast.
    if (id === 'h2c-prior-knowledge-only' && o.priorKnowledge) expect(r.errors).toEqual([]);
    else expect(r.errors.length).toBeGreaterThan(0);
  });

  test('healthy-tls: the whole exchange, no problem, events in time order', async () => {
    const { r, text } = await traceScenario('healthy-tls');
    expect(r.errors, text).toEqual([]);
    // The negotiated parameters from the event itself; the rendered line only has to name them, in order.
    const hs = r.events.find((e): e is Extract<typeof e, { kind: 'tls' }> => e.kind === 'tls');
    expect(hs).toMatchObject({ outcome: 'handshake', version: 'TLSv1.3', group: 'X25519', alpn: 'h2', sni: 'localhost' });
    expect(hs!.cipher).toMatch(/^TLS_\w+$/);
    expect(text).toMatch(/tls\s+←\s+TLSv1\.3\s+TLS_\w+\s+group X25519\s+ALPN h2\s+SNI localhost/);
    expect(text).toMatch(/certificate CN=localhost.*issuer CN=h2doctor lab/);
    expect(text).toMatch(/valid \d{4}-.* → \d{4}-.* verified/);
    const kinds = r.events.map((e) => (e.kind === 'frame' ? `${e.dir} ${e.typeName}` : e.kind));
    expect(kinds.slice(0, 6)).toEqual(['resolve', 'connect', 'tls-offer', 'tls', 'preface', 'out SETTINGS']);
    expect(kinds).toContain('in HEADERS');
    // Our GOAWAY once the response ended; frames that arrive while the connection drains are shown too.
    expect(kinds.indexOf('out GOAWAY')).toBeGreaterThan(kinds.indexOf('in HEADERS'));
    expect(kinds.at(-1)).toBe('close');
    const ts = r.events.map((e) => e.t);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    expect(r.keylog.some((l) => l.startsWith('CLIENT_TRAFFIC_SECRET_0 '))).toBe(true);
  });

  test('h2c-upgrade: 101 then HTTP/2, the response on stream 1', async () => {
    const { r, text } = await traceScenario('h2c-upgrade');
    expect(r.errors, text).toEqual([]);
    expectInOrder(r.events, [ev({ kind: 'http1', dir: 'in', line: 'HTTP/1.1 101 Switching Protocols' }), frame('in', 'HEADERS', { streamId: 1 })], text);
    expect(words(text)).toMatch(/http1 ← HTTP\/1\.1 101 Switching Protocols/);
    expect(words(text)).toMatch(/h2 ← HEADERS stream 1/);
  });

  test('--max-frames stops the trace', async () => {
    const { r } = await traceScenario('healthy-tls', { maxFrames: 2 });
    expect(r.events.filter((e) => e.kind === 'frame').length).toBe(2);
    expect(r.events.at(-1)).toMatchObject({ kind: 'close', by: 'max-frames' });
  });
});

/**
 * trace is judged by the diagnosis rules: on each of these scenarios the trace finds the code the
 * lab expects, and diagnose finds it too (the same rules on the same kind of evidence).
 */
const SAME_CODE: Array<[string, TraceOptions, string]> = [
  ['tls-alpn-no-h2', {}, 'alpn-no-h2'],
  ['tls-alpn-ignored', {}, 'alpn-ignored'],
  ['tls-alpn-ignored', {}, 'preface-http1-response'],
  ['cleartext-http1-only', { priorKnowledge: true }, 'preface-http1-response'],
  ['cleartext-http1-only', { priorKnowledge: true }, 'h2c-not-supported'],
  ['preface-closed', {}, 'preface-closed'],
  ['preface-timeout', {}, 'preface-timeout'],
  ['goaway-on-connect', {}, 'goaway-on-connect'],
  ['preface-not-settings', {}, 'preface-not-settings'],
  ['preface-garbage', {}, 'preface-garbage'],
  ['h2-no-streams', {}, 'h2-no-streams-allowed'],
  ['tls12-blocklisted-cipher', {}, 'h2-inadequate-security'],
  ['tcp-refused', {}, 'tcp-refused'],
  ['tcp-reset', {}, 'tcp-reset'],
  ['tls-handshake-timeout', {}, 'tls-handshake-timeout'],
  ['cert-expired', {}, 'cert-expired'],
  ['cert-hostname-mismatch', {}, 'cert-hostname-mismatch'],
  ['tls-handshake-alert', {}, 'tls-handshake-alert'],
  // Hostile HTTP/2 servers: trace reads frames with the probes' own client, so a frame that cannot be
  // read is the same protocol error (the trace's own loop once called these h2-no-response or
  // preface-not-settings), and a flood the same flood.
  ['hostile-h2-frame-16mb', {}, 'h2-protocol-error'],
  ['hostile-h2-settings-out-of-range', {}, 'h2-protocol-error'],
  ['hostile-h2-goaway-1mb-debug', {}, 'h2-protocol-error'],
  ['hostile-h2c-status-abc', { priorKnowledge: true }, 'h2-protocol-error'],
  ['hostile-h2-ping-flood', {}, 'h2-flood'],
  ['hostile-h2c-rst-flood', { priorKnowledge: true }, 'h2-flood'],
  ['hostile-h2-no-response', {}, 'h2-no-response'],
  // A 5.5 MiB chain: trace reads the Certificate message's header from the bytes it received (TLS 1.3:
  // decrypted with its key log), as diagnose's raw hello does; not "not a usable TLS handshake".
  ['hostile-tls-huge-chain', {}, 'cert-chain-too-large'],
  ['hostile-tls12-huge-chain', {}, 'cert-chain-too-large'],
];

/** Codes whose title carries a time measured on the connection ("100 PING frames in 5 ms"). */
const TIMED = new Set(['h2-flood', 'h2-no-response']);

describe('trace and diagnose give the same code for the same server', () => {
  test('upgrade-websocket-hint: the 426 over HTTP/2 carries its fields into the evidence (no false "problem details missing")', async () => {
    const s = ALL_SCENARIOS.find((x) => x.id === 'upgrade-websocket-hint')!;
    const run = await s.start({ pki });
    try {
      const r = await runTrace(parseTarget(run.url), { ca: pki.rootCa.certPem, resolve: (run.resolve ?? []).map(parseResolve), timeoutMs: run.timeoutMs ?? 3000 });
      const text = renderTrace(r.events, {}, r.findings);
      expect(text, text).toMatch(/content-type: application\/problem\+json/);
      const report = await diagnose(run.url, { ca: pki.rootCa.certPem, resolve: run.resolve ?? [], timeoutMs: run.timeoutMs ?? 3000, ...(run.options ?? {}) });
      expect(report.findings.map((f) => f.code)).not.toContain('upgrade-problem-details-missing');
      expect(r.findings.map((f) => f.code), text).not.toContain('upgrade-problem-details-missing');
    } finally {
      await run.stop();
    }
  });

  test('a flood is said once: the trace stops at it (no frame shown after our GOAWAY)', async () => {
    const { r } = await traceScenario('hostile-h2-ping-flood');
    const kinds = r.events.map((e) => (e.kind === 'frame' ? `${e.dir} ${e.typeName}` : e.kind));
    expect(kinds.slice(kinds.indexOf('out GOAWAY') + 1)).toEqual(['close']);
    expect(r.errors.filter((t) => /PING frames in/.test(t))).toHaveLength(1);
  });

  test.each(SAME_CODE.map(([id, o, code]) => [`${id}${o.priorKnowledge ? ' (prior knowledge)' : ''} → ${code}`, id, o, code] as const))('%s', async (_label, id, o, code) => {
    const s = ALL_SCENARIOS.find((x) => x.id === id)!;
    expect(s.expect).toContain(code);
    // One server for both: the titles name its port.
    const run = await s.start({ pki });
    try {
      const r = await runTrace(parseTarget(run.url), { ca: pki.rootCa.certPem, resolve: (run.resolve ?? []).map(parseResolve), timeoutMs: run.timeoutMs ?? 3000, ...o });
      const text = renderTrace(r.events, {}, r.findings);
      expect(r.findings.map((f) => f.code), text).toContain(code);
      const report = await diagnose(run.url, { ca: pki.rootCa.certPem, resolve: run.resolve ?? [], timeoutMs: run.timeoutMs ?? 3000, ...(run.options ?? {}) });
      expect(report.findings.map((f) => f.code)).toContain(code);
      // The same words: the trace's finding carries diagnose's title (a flood's rate and a wait are
      // measured on each one's own connection: their figures may differ).
      const words = (t: string) => (TIMED.has(code) ? t.replace(/\d+/g, 'N') : t);
      expect(words(r.findings.find((f) => f.code === code)!.title)).toBe(words(report.findings.find((f) => f.code === code)!.title));
    } finally {
      await run.stop();
    }
  });
});

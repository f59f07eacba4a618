/**
 * Issue 12 item 7, the right words in `trace` for hostile bytes (each checked against what the lab
 * server really sends):
 * - an out-of-range SETTINGS is the server's SETTINGS, invalid: the frame after it is not "the first
 *   server frame", and the wait that follows is for a valid SETTINGS, not "no SETTINGS";
 * - a TLS answer that drips and never completes is an unfinished handshake, not "no TLS answer";
 * - a proxy whose answer to CONNECT never ends or drips is the proxy's failure, not a refused
 *   connection to the origin (trace said 'tcp-refused: Connection refused', and 'no TCP answer').
 * Loopback only; every scenario started is stopped.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { HOSTILE_SCENARIOS } from '../src/lab/scenarios/hostile.js';
import { runTrace } from '../src/trace/session.js';
import { renderTrace } from '../src/report/trace.js';
import { parseResolve, parseTarget } from '../src/model/target.js';
import { parseProxyUrl } from '../src/transport/proxy.js';
import type { TraceOptions } from '../src/trace/types.js';

let pki: LabPki;
beforeAll(async () => {
  pki = await createLabPki();
});

async function trace(id: string, more: TraceOptions = {}) {
  const run = await HOSTILE_SCENARIOS.find((s) => s.id === id)!.start({ pki });
  try {
    const target = parseTarget(run.url);
    const proxy = run.options?.proxy ? parseProxyUrl(run.options.proxy, '--proxy') : undefined;
    const r = await runTrace(target, { ca: pki.rootCa.certPem, timeoutMs: 1000, ...(proxy ? { proxy } : { resolve: (run.resolve ?? []).map(parseResolve) }), ...more });
    return { r, text: renderTrace(r.events, {}, r.findings) };
  } finally {
    await run.stop();
  }
}

describe('trace says what a hostile server did', () => {
  test.each(['hostile-h2-settings-out-of-range', 'hostile-h2c-settings-out-of-range'])('%s: an invalid SETTINGS, then a wait for a valid one (not "first frame is not SETTINGS", not "no SETTINGS")', async (id) => {
    const { r, text } = await trace(id, id.includes('h2c') ? { priorKnowledge: true } : {});
    expect(text).toMatch(/invalid frame from the server: RFC 9113 §6\.5\.2: SETTINGS_INITIAL_WINDOW_SIZE = 2147483648/);
    expect(text).not.toMatch(/first server frame is not SETTINGS/);
    expect(text).not.toMatch(/no SETTINGS from the server/);
    expect(text).toMatch(/no valid SETTINGS from the server within \d+ ms \(1 invalid frame above\)/);
    expect(r.findings.map((f) => f.code)).toEqual(['h2-protocol-error']);
  }, 20_000);

  test.each(['hostile-proxy-endless-headers', 'hostile-proxy-dripping-status'])('%s: the proxy failed the CONNECT (proxy-connect-failed), no refused origin', async (id) => {
    const { r, text } = await trace(id);
    expect(r.findings.map((f) => f.code)).toEqual(['proxy-connect-failed']);
    expect(text).not.toMatch(/tcp-refused|Connection refused|no TCP answer/);
    expect(text, text).toMatch(/proxy http:\/\/127\.0\.0\.1:\d+: the proxy's answer to CONNECT/);
  }, 20_000);

  test('hostile-tls-drip: bytes that never complete the handshake are an unfinished answer, not "no TLS answer"', async () => {
    const { r, text } = await trace('hostile-tls-drip');
    expect(text).toMatch(/the TLS handshake did not complete within \d+ ms: \d+ bytes came \(TLS handshake record/);
    expect(text).not.toMatch(/no TLS answer/);
    expect(r.findings.map((f) => f.code)).toEqual(['tls-malformed-response']);
  }, 20_000);

  test('hostile-proxy-200-then-hang: one connection cannot tell whose silence it is, and the trace says so', async () => {
    const { r, text } = await trace('hostile-proxy-200-then-hang');
    expect(r.findings.map((f) => f.code)).toEqual(['tls-handshake-timeout']);
    expect(text).toMatch(/through the proxy's tunnel \(CONNECT localhost:\d+ → 200 [^)]*\): the silence may be the proxy's/);
    expect(text).toMatch(/--compare-direct tells which/);
  }, 20_000);
});

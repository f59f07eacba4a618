/**
 * The HTML renderer is pure and escapes what servers send: a status reason, a header value or an
 * evidence line holding markup becomes text, never markup or script; the page names no outside URL.
 */
import { describe, expect, test } from 'vitest';
import { renderCheckHtml, renderDiagnosisHtml, renderWatchHtml } from './html.js';
import type { Report } from '../model/index.js';
import { summarize } from '../watch/summary.js';

const EVIL = '<script>alert(1)</script><img src=x onerror=alert(2)>';

const report: Report = {
  schemaVersion: 1,
  tool: { name: 'h2doctor', version: 't' },
  target: { url: 'https://x.test/', scheme: 'https', host: 'x.test', port: 443, path: '/', tls: true, sni: 'x.test' },
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 12,
  verdict: 'fail',
  resolution: { source: 'dns', addresses: ['192.0.2.1'], skipped: [] },
  addresses: [{ address: '192.0.2.1', family: 4, verdict: 'fail', negotiated: { protocol: 'http/1.1', alpn: 'http/1.1' }, findingCodes: ['alpn-no-h2'], probes: ['192.0.2.1/tcp'] }],
  negotiated: { protocol: 'http/1.1', alpn: 'http/1.1' },
  findings: [
    {
      code: 'alpn-no-h2',
      severity: 'error',
      title: `title ${EVIL}`,
      explanation: EVIL,
      clientsSee: [EVIL],
      evidence: [{ probe: '192.0.2.1/tls-default', text: EVIL, excerpt: { hex: '3c736372697074', ascii: '<script', length: 7, truncated: false } }],
      fixes: [{ side: 'server', applies: 'nginx', text: EVIL, snippet: EVIL }],
      reproduce: [`curl ${EVIL}`],
      addresses: ['192.0.2.1'],
    },
  ],
  probes: [{ kind: 'tcp', id: '192.0.2.1/tcp', address: '192.0.2.1', port: 443, startMs: 0, durationMs: 1, bytesSent: 0, bytesReceived: 0, connect: { ok: true, ms: 1 } }],
  connections: 1,
  matrix: [{ address: '192.0.2.1', protocol: 'HTTP/1.1', via: 'tls', status: 200, outcome: 'response', headers: { server: EVIL }, probe: 'p' }],
};

const noMarkup = (html: string) => {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<img/i);
  expect(html).toContain('&lt;script&gt;');
  // Nothing from elsewhere: the only URLs are the SVG namespace and the target's own text.
  expect(html.match(/(?:src|href)=["']?https?:/gi) ?? []).toEqual([]);
  expect(html).toContain("default-src 'none'");
};

describe('html renderer', () => {
  test('a diagnosis escapes server text everywhere and carries the waterfall', () => {
    const html = renderDiagnosisHtml(report);
    noMarkup(html);
    expect(html).toMatch(/<svg id="waterfall"/);
    expect(html).toMatch(/data-verdict="fail"/);
  });

  test('a watch and a check page escape too', () => {
    const s = summarize([
      { schemaVersion: 1, type: 'run', url: `https://x.test/${EVIL}`, seq: 1, at: '2026-01-01T00:00:00.000Z', durationMs: 1, verdict: 'ok', codes: [], addresses: [{ address: '192.0.2.1', resolvers: [EVIL], verdict: 'ok', codes: [], protocol: 'h2' }] },
    ]);
    noMarkup(renderWatchHtml(s));
    noMarkup(renderCheckHtml([{ name: EVIL, url: 'https://x.test/', passed: false, failures: [{ expectation: 'protocol', message: EVIL }], durationMs: 1 }], { file: 'checks.yaml', env: 'lab', wall: 1 }));
  });
});

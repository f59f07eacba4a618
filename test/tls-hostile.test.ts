/**
 * Hostile TLS servers (garbage, absurd record lengths, a slow drip, a reset mid-record, endless
 * one-byte records) are diagnosed without a crash or a hang, and no probe reads past its budget.
 */
import { describe, expect, test } from 'vitest';
import { diagnose } from '../src/diagnose.js';
import { hostileTls, type HostileKind } from '../src/lab/tls-front.js';
import { RAW_MAX_BYTES } from '../src/probes/tls/raw.js';

const KINDS: HostileKind[] = ['garbage', 'huge-length', 'drip', 'reset-mid-record', 'endless-records'];
/** What each hostile answer proves. */
const EXPECTED: Record<HostileKind, string> = {
  garbage: 'tls-malformed-response',
  'huge-length': 'tls-malformed-response',
  drip: 'tls-malformed-response',
  'reset-mid-record': 'tcp-reset',
  'endless-records': 'tls-malformed-response',
};
const BUDGET = 64 * 1024;

describe('hostile TLS servers', () => {
  test.each(KINDS)('%s: a report, bounded reads', async (kind) => {
    const l = await hostileTls(kind);
    try {
      for (const survey of [false, true]) {
        const r = await diagnose(`https://localhost:${l.port}/`, { resolve: [`localhost:${l.port}:127.0.0.1`], timeoutMs: 600, byteBudget: BUDGET, survey });
        expect(r.schemaVersion).toBe(1);
        expect(r.negotiated.protocol).toBeNull();
        expect(r.verdict).toBe('fail');
        expect(r.findings.map((f) => f.code)).toContain(EXPECTED[kind]);
        // Issue 12 item 7: a record header with an illegal length is a TLS record_overflow, not "not TLS".
        if (kind === 'huge-length') expect(r.findings.find((f) => f.code === 'tls-malformed-response')?.evidence[0]?.text).toMatch(/TLS record header announcing 65535 bytes.*record_overflow \(alert 22\)/);
        for (const p of r.probes) {
          const limit = p.kind === 'tls-raw' ? RAW_MAX_BYTES : p.kind === 'tls-stage' ? Infinity : BUDGET + 64 * 1024;
          expect(p.bytesReceived).toBeLessThanOrEqual(limit);
        }
        const raws = r.probes.filter((p) => p.kind === 'tls-raw');
        expect(raws.length).toBeGreaterThan(0);
        for (const p of raws) expect(p.kind === 'tls-raw' && p.raw.outcome).toMatch(/^(not-tls|malformed|timeout|reset|closed)$/);
      }
    } finally {
      await l.stop();
    }
  }, 60_000);
});

import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { MAX_TEXT } from './decoders.js';
import { explain } from './index.js';
import { LineWindow, mayCarryEvidence, WINDOW_EVIDENCE_LINES, WINDOW_TAIL_LINES } from './window.js';

const filler = (i: number) => `INFO request ${i} served in 3 ms ${'x'.repeat(80)}`;

describe('a long paste read line by line through a bounded window (issue 12)', () => {
  test('under the scan bound the window is the whole input', () => {
    const w = new LineWindow();
    for (let i = 1; i <= 1000; i++) w.push(filler(i));
    const f = w.finish();
    expect(f.scanned).toMatchObject({ lines: 1000, skippedLines: 0, windowed: false });
    expect(f.lineNumbers[999]).toBe(1000);
  });

  test('past it, an error in the middle of 12 M characters is kept with its line number; the rest is counted as skipped', () => {
    const w = new LineWindow();
    const n = 120_000;
    for (let i = 1; i <= n; i++) w.push(i === 60_001 ? 'ERROR upstream: x509: certificate signed by unknown authority' : filler(i));
    const f = w.finish();
    expect(f.scanned.windowed).toBe(true);
    expect(f.scanned.lines).toBe(n);
    expect(f.scanned.characters).toBeGreaterThan(3 * MAX_TEXT);
    expect(f.scanned.skippedLines).toBe(n - f.lineNumbers.length);
    expect(f.scanned.skippedLines).toBeGreaterThan(n * 0.99);
    expect(f.lineNumbers.slice(-WINDOW_TAIL_LINES)[0]).toBe(n - WINDOW_TAIL_LINES + 1);
    expect(f.text.length).toBeLessThan(MAX_TEXT);
    const r = explain(f.text, { lineNumbers: f.lineNumbers, scanned: f.scanned });
    expect(r.causes.slice(0, 2).map((c) => c.code)).toContain('cert-untrusted');
    expect(r.recognised[0]).toMatchObject({ line: 60_001, quote: 'ERROR upstream: x509: certificate signed by unknown authority' });
    expect(r.scanned).toEqual(f.scanned);
  });

  test('memory stays bounded: a flood of evidence lines keeps the newest, a huge line is cut', () => {
    const w = new LineWindow();
    for (let i = 1; i <= WINDOW_EVIDENCE_LINES * 3; i++) w.push(`error ${i}: connection reset by peer ${'y'.repeat(100)}`);
    w.push('z'.repeat(10_000_000));
    const f = w.finish();
    expect(f.text.length).toBeLessThan(MAX_TEXT);
    expect(f.lineNumbers.at(-1)).toBe(WINDOW_EVIDENCE_LINES * 3 + 1);
    expect(f.scanned.clippedLines).toBe(1);
    expect(f.text).toContain(`error ${WINDOW_EVIDENCE_LINES * 3}: `);
    expect(f.text).not.toContain('error 1: ');
  });

  test('the evidence test takes error words, statuses, codes and hex dumps, not plain log lines', () => {
    for (const l of ['curl: (35) alert', 'HTTP/1.1 426 Upgrade Required', 'ECONNRESET', 'Hex dump: 485454502f312e31', 'javax.net.ssl.SSLHandshakeException']) expect(mayCarryEvidence(l), l).toBe(true);
    expect(mayCarryEvidence(filler(7).replace(/\d+/g, 'n'))).toBe(false);
  });

  test('the window keeps exactly what a plain list model keeps: newest evidence lines (by count and by characters), then the tail, with their line numbers', () => {
    // The model: every evidence line outside the last WINDOW_TAIL_LINES, dropped from the front
    // while over WINDOW_EVIDENCE_LINES lines or MAX_TEXT / 2 characters. Long and short lines mixed so
    // both bounds bite, over enough lines that the queue's front is compacted many times.
    const lineOf = (i: number) => (i % 7 === 3 ? `WARN stream ${i} reset by peer ${'p'.repeat(i % 5 === 0 ? 3000 : 40)}` : filler(i));
    const n = 130_000;
    const w = new LineWindow();
    for (let i = 1; i <= n; i++) w.push(lineOf(i));
    const f = w.finish();
    const evidence: Array<{ n: number; line: string }> = [];
    let chars = 0;
    for (let i = 1; i <= n - WINDOW_TAIL_LINES; i++) {
      const line = lineOf(i);
      if (!mayCarryEvidence(line)) continue;
      evidence.push({ n: i, line });
      chars += line.length + 1;
      while (evidence.length > WINDOW_EVIDENCE_LINES || chars > MAX_TEXT / 2) chars -= evidence.shift()!.line.length + 1;
    }
    const want = [...evidence, ...Array.from({ length: WINDOW_TAIL_LINES }, (_, k) => ({ n: n - WINDOW_TAIL_LINES + 1 + k, line: lineOf(n - WINDOW_TAIL_LINES + 1 + k) }))];
    expect(evidence.length).toBeGreaterThan(1000);
    expect(f.lineNumbers).toEqual(want.map((x) => x.n));
    expect(f.text).toBe(want.map((x) => x.line).join('\n'));
    expect(f.scanned).toMatchObject({ lines: n, skippedLines: n - want.length, windowed: true });
  });

  /** The evidence test as a flat list of words (before it was grouped by first letter, for speed). */
  const FLAT =
    /error|fail|refus|reset|timed? ?out|timeout|deadline|alert|certif|x509|pkix|verify|ssl|tls|handshake|alpn|http|h2c?\b|goaway|rst_stream|settings|preface|frame|stream|errno|econn|etimedout|eof\b|closed|hang up|broken pipe|unreachable|resolve|no such host|not known|denied|forbidden|upgrade|websocket|proxy|tunnel|connect|unavailable|exception|traceback|caused by|invalid|unexpected|malformed|protocol|\b[1-5]\d\d\b|\b[0-9a-f]{10,}\b|net::|\bE[A-Z]{4,}\b/i;
  const WORDS = FLAT.source.split('|').filter((w) => /^[a-z0-9 :_]+$/.test(w));

  test('the grouped evidence test keeps every line the flat word list keeps, and only those', () => {
    // Each word alone, in any case, inside other text, cut by one character; and lines that must be kept.
    for (const w of WORDS) {
      for (const l of [w, w.toUpperCase(), `x ${w[0]!.toUpperCase()}${w.slice(1)} y`, `pre${w}post`, w.slice(0, -1), w.slice(1)]) expect(mayCarryEvidence(l), l).toBe(FLAT.test(l));
      expect(mayCarryEvidence(`2026/12/03 15:00:00 [info] ${w}`), w).toBe(true);
    }
    for (const l of [
      '2026/12/03 15:00:00 [error] 123#123: *5 upstream prematurely closed connection while reading',
      'curl: (92) HTTP/2 stream 1 was not closed cleanly: PROTOCOL_ERROR (err 1)',
      'Get "https://x.test/": net/http: TLS handshake timeout',
      'read ECONNRESET',
      'node:events:497 Error [ERR_HTTP2_STREAM_ERROR]: Stream closed with error code NGHTTP2_REFUSED_STREAM',
      'net::ERR_HTTP2_PROTOCOL_ERROR',
      '< HTTP/1.1 426',
      'h2c',
      'EOF',
      'deadbeef0123',
    ])
      expect(mayCarryEvidence(l), l).toBe(true);
    // Every line of the recorded real clients' output.
    const dir = new URL('../../corpus/clients/', import.meta.url);
    let n = 0;
    const walk = (d: URL): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(new URL(`${e.name}/`, d));
        else if (n < 200_000)
          for (const l of readFileSync(new URL(e.name, d), 'utf8').split('\n')) {
            n++;
            expect(mayCarryEvidence(l), l).toBe(FLAT.test(l));
          }
      }
    };
    walk(dir);
    expect(n).toBeGreaterThan(100);
    // Random lines made of the words, their pieces, digits, hex and separators, in any case.
    const piece = fc.oneof(
      fc.constantFrom(...WORDS),
      fc.constantFrom(...WORDS).map((w) => w.slice(0, 1 + (w.length >> 1))),
      fc.constantFrom(' ', ':', '_', '-', '/', '\n', '#', 'İ', 'ſ', '\u212a'),
      fc.stringMatching(/^[0-9a-fA-F]{1,12}$/),
      fc.stringMatching(/^[eE][a-zA-Z]{0,6}$/),
      fc.string({ maxLength: 6 }),
    );
    const line = fc.array(fc.tuple(piece, fc.boolean()), { maxLength: 12 }).map((xs) => xs.map(([p, up]) => (up ? p.toUpperCase() : p)).join(''));
    fc.assert(
      fc.property(line, (l) => mayCarryEvidence(l) === FLAT.test(l)),
      { numRuns: 20_000, interruptAfterTimeLimit: 5_000 },
    );
  });

  test('a flood of evidence lines never shifts a long array (a copy of 20,000 entries per line: 600 MB of error lines took 16 s)', () => {
    // No timing: counts the Array.shift() calls on arrays over 1,000 entries while 60,000 error lines
    // go through, and checks the queue behind the window stays within twice its bound.
    const shift = Array.prototype.shift;
    let longShifts = 0;
    Array.prototype.shift = function (this: unknown[]) {
      if (this.length > 1000) longShifts++;
      return shift.call(this);
    };
    const w = new LineWindow();
    let largest = 0;
    try {
      for (let i = 1; i <= WINDOW_EVIDENCE_LINES * 3; i++) {
        w.push(`2026/12/03 15:00:00 [error] 123#123: *${i} upstream prematurely closed connection while reading`);
        // Before the input passes MAX_TEXT the window is every line; the queue's bound counts after.
        if (i > 50_000) largest = Math.max(largest, (w as unknown as { kept: unknown[] }).kept.length);
      }
    } finally {
      Array.prototype.shift = shift;
    }
    expect(longShifts).toBe(0);
    expect(largest).toBeLessThanOrEqual(2 * WINDOW_EVIDENCE_LINES + 1024);
    const f = w.finish();
    expect(f.lineNumbers).toHaveLength(WINDOW_EVIDENCE_LINES + WINDOW_TAIL_LINES);
    expect(f.lineNumbers[0]).toBe(WINDOW_EVIDENCE_LINES * 3 - WINDOW_TAIL_LINES - WINDOW_EVIDENCE_LINES + 1);
  });
});

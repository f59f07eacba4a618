/**
 * Evidence bullets and fixes in the terminal report wrap under their own first word: every line of an
 * item is within the width, continuation lines hang at one indent, and the item's words read back in
 * order. (Before, an item was wrapped 4 columns narrower than the page and its continuation lines
 * indented 6, so a line overflowed and the final fitting pass broke it again at another indent.)
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { diagnose } from '../src/diagnose.js';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { findScenario } from '../src/lab/scenarios.js';
import type { RunningScenario } from '../src/lab/helpers.js';
import { renderTerminal } from '../src/report/terminal.js';
import { LONG_WORD, displayWidth, wrap, wrapParts } from '../src/report/layout.js';
import type { Report } from '../src/model/index.js';

let pki: LabPki;
let running: RunningScenario;
let report: Report;
beforeAll(async () => {
  pki = await createLabPki();
  running = await findScenario('healthy-tls')!.start({ pki });
  // Without the lab CA: cert-untrusted, whose evidence names a two-certificate chain (a long line).
  report = await diagnose(running.url, { proxy: null, resolve: running.resolve, timeoutMs: 2000 });
}, 30_000);
afterAll(async () => {
  await running.stop();
});

/** The lines of one item: its first line (starting with `start` at 4 columns) and the lines that continue it. */
function item(lines: string[], first: number): string[] {
  const out = [lines[first]!];
  for (let i = first + 1; i < lines.length && /^ {6}\S/.test(lines[i]!); i++) out.push(lines[i]!);
  return out;
}

describe('terminal report: items wrap under their first word', () => {
  test.each([60, 80, 100])('at %i columns', (width) => {
    const f = report.findings.find((x) => x.code === 'cert-untrusted')!;
    expect(f).toBeDefined();
    const lines = renderTerminal(report, { color: false, verbose: true, width }).split('\n');
    // Within the width, except a line that holds one word longer than the room beside its indent
    // (a fingerprint, a Java class name): words are never cut (src/report/layout.ts).
    for (const l of lines) {
      const lone = /^ *\S+$/.test(l.trimEnd()) || /^ *\S+ \S+$/.test(l.trimEnd()) && displayWidth(l.trim().split(' ')[1]!) > width - 8;
      if (!lone) expect(displayWidth(l), l).toBeLessThanOrEqual(width);
    }
    const texts = [...f.evidence.map((e) => `• ${e.text}`), ...f.fixes.map((x) => `[${x.side}, ${x.applies}] ${x.text}`)];
    for (const text of texts) {
      const want = text.replace(/\s+/g, ' ').trim();
      const head = want.split(' ').slice(0, 3).join(' ');
      const at = lines.findIndex((l) => l.startsWith(`    ${head}`));
      expect(at, head).toBeGreaterThan(-1);
      const got = item(lines, at).map((l) => l.trim()).join(' ');
      expect(got).toBe(want);
    }
  });
});

describe('terminal report: the summary line breaks between its parts', () => {
  test.each([40, 60, 80, 100])('at %i columns, "N connections" and "N ms" stay whole', (width) => {
    const lines = renderTerminal(report, { color: false, verbose: false, width }).split('\n');
    // The summary (after the verdict line) starts with the TLS version, and its continuation lines hang at 4.
    const at = lines.findIndex((l) => /^ {2}TLSv1\.[23] /.test(l));
    expect(at).toBeGreaterThan(0);
    const summary = [lines[at]!];
    for (let i = at + 1; i < lines.length && /^ {4}\S/.test(lines[i]!); i++) summary.push(lines[i]!);
    const parts = summary.map((l) => l.trim()).join('  ').split(/ {2}· {2}/).map((p) => p.replace(/ {2}·$/, ''));
    expect(parts).toContain(`${report.connections} connection${report.connections === 1 ? '' : 's'}`);
    expect(parts).toContain(`${report.durationMs} ms`);
    for (const l of summary) {
      expect(displayWidth(l), l).toBeLessThanOrEqual(width);
      // A line ends at a part's end: never inside "4 connections" or "72 ms".
      expect(l).not.toMatch(/ \d+$/);
      expect(l).not.toMatch(/^ *(connections?|ms)\b/);
    }
  });

  test('wrapParts breaks only between parts, with the separator left at the end of the line', () => {
    expect(wrapParts(['ALPN h2', '4 connections', '72 ms'], 20, '  ·  ')).toEqual(['ALPN h2  ·', '4 connections  ·', '72 ms']);
    expect(wrapParts(['a', 'b'], 80, '  ·  ', { indent: '  ' })).toEqual(['  a  ·  b']);
    expect(wrapParts(['one', 'two three four five'], 10, ' · ', { indent: '', hanging: '  ' })).toEqual(['one ·', '  two', '  three', '  four', '  five']);
  });
});

describe('terminal report: a 1 KiB header value is cut to the width, not printed on one line', () => {
  test('a 426 whose Upgrade, Server and X-Long fields hold 1 KiB without a space', async () => {
    const http = await import('node:http');
    const big = 'h2c,' + 'x'.repeat(1020);
    const server = http.createServer((_req, res) => {
      res.writeHead(426, { upgrade: big, connection: 'Upgrade', server: 'S'.repeat(1024), 'x-long': 'a'.repeat(1024) });
      res.end('upgrade\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const r = await diagnose(`http://127.0.0.1:${port}/`, { proxy: null, timeoutMs: 2000 });
      const value = r.findings.flatMap((f) => f.evidence).find((e) => e.text.includes('x'.repeat(200)));
      expect(value, 'the value is in the evidence (under the 1 KiB evidence cap)').toBeDefined();
      for (const width of [60, 80, 120]) {
        const lines = renderTerminal(r, { color: false, verbose: true, width }).split('\n');
        // Every line within the width, but one word (at most LONG_WORD) alone on its line.
        for (const l of lines) if (!/^ *\S+$/.test(l.trimEnd()) || displayWidth(l.trim()) > LONG_WORD) expect(displayWidth(l), l.slice(0, 120)).toBeLessThanOrEqual(width);
        // Nothing is lost: the value's characters are all printed, in pieces.
        expect(lines.join('').split('x').length - 1).toBeGreaterThanOrEqual(1020);
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
  }, 30_000);

  test('wrap cuts a word over LONG_WORD into pieces of the room, and leaves shorter ones whole', () => {
    const long = 'y'.repeat(1024);
    const lines = wrap(`Upgrade: ${long}`, 80, { indent: '    ', hanging: '      ' });
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(80);
    expect(lines.map((l) => l.trim()).join('').replace('Upgrade:', '')).toBe(long);
    const fingerprint = Array.from({ length: 32 }, () => 'AB').join(':');
    expect(wrap(`sha256 ${fingerprint}`, 60)).toEqual(['sha256', fingerprint]);
  });
});

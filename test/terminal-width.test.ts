/**
 * At 80 and 120 columns (a real pty, made by util-linux `script`), no line of the terminal report,
 * the trace or `lab --diagnose` is wider than the terminal, and no word is cut: every word of the
 * narrow output is a word of the same output rendered 1000 columns wide.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { findScenario } from '../src/lab/scenarios.js';
import type { RunningScenario } from '../src/lab/helpers.js';
import { displayWidth, stripAnsi } from '../src/report/layout.js';
import { findBinary, skipWithout } from './real-helpers.js';

const BIN = new URL('../dist/h2doctor.cjs', import.meta.url).pathname;
const SCRIPT = findBinary('script');

let pki: LabPki;
let dir: string;
let caFile: string;
const running: RunningScenario[] = [];

beforeAll(async () => {
  pki = await createLabPki();
  dir = mkdtempSync(join(tmpdir(), 'h2d-width-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pki.rootCa.certPem);
  for (const id of ['cert-expired', 'healthy-tls', 'cleartext-http1-only']) running.push(await findScenario(id)!.start({ pki }));
}, 30_000);
afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()));
  rmSync(dir, { recursive: true, force: true });
});

// Asynchronous on purpose: the lab servers run in this process, and a synchronous spawn would stop
// them answering while the CLI waits (every probe then ran into its deadline, and the worker's own
// event loop stalled long enough for vitest's RPC to time out).
const run = promisify(execFile);

/** Runs the CLI in a pty of `cols` columns; the lines it printed, colour codes and CRs removed. */
async function inPty(cols: number, args: string[]): Promise<string[]> {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // stderr aside: on a terminal it carries the progress line (test/hostile-progress), redrawn in place; the report is stdout.
  const { stdout } = await run(SCRIPT ?? 'script', ['-qec', `stty cols ${cols} rows 50; ${quoted} 2>/dev/null; true`, '/dev/null'], { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 << 20, env: { ...process.env, COLUMNS: '' } });
  return stripAnsi(stdout).replace(/\r/g, '').split('\n');
}

/** The same command, no terminal, 1000 columns: nothing wrapped. */
async function wide(args: string[]): Promise<string[]> {
  // The CLI's exit status is the verdict (1 on a failing scenario): its output is what counts here.
  const r = await run(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 << 20, env: { ...process.env, COLUMNS: '1000' } }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  return r.stdout.split('\n');
}

/** Words (list items split at commas; numbers, which vary from run to run, made one). */
function words(lines: string[]): Set<string> {
  const out = new Set<string>();
  for (const l of lines) for (const w of l.split(/\s+/)) for (const piece of w.split(/(?<=,)/)) if (piece && piece !== '\\') out.add(piece.replace(/\d+(\.\d+)?/g, '0'));
  return out;
}

const cases: Array<[string, () => string[]]> = [
  ['the terminal report (-v)', () => { const r = running[0]!; return [r.url, '--cacert', caFile, '--resolve', r.resolve![0]!, '-v']; }],
  ['the terminal report, cleartext', () => { const r = running[2]!; return [r.url, '--resolve', r.resolve![0]!]; }],
  ['the trace', () => { const r = running[1]!; return ['trace', r.url, '--cacert', caFile, '--resolve', r.resolve![0]!]; }],
  ['lab --diagnose', () => ['lab', '--diagnose', 'healthy-tls', 'cert-expired', 'upgrade-426-no-upgrade-field', 'tls13-client-cert-required']],
];

describe.skipIf(skipWithout(SCRIPT, 'script (util-linux)'))('fitted to the terminal, no word cut', () => {
  test.each(cases)('%s at 80 and 120 columns', async (_name, argsOf) => {
    const args = argsOf();
    const unwrapped = await wide(args);
    // The case exercises wrapping: unwrapped, some line is wider than 80 columns.
    expect(Math.max(...unwrapped.map(displayWidth))).toBeGreaterThan(80);
    const reference = words(unwrapped);
    for (const cols of [80, 120]) {
      const lines = await inPty(cols, args);
      expect(lines.filter((l) => l.trim()).length, `${cols}: printed something`).toBeGreaterThan(3);
      // Within the width, except a line that is one word longer than the room beside its indent (a
      // certificate fingerprint): words are never cut (src/report/layout.ts), as test/terminal-wrap has it.
      for (const l of lines) {
        const indent = l.length - l.trimStart().length;
        const lone = /^ *\S+$/.test(l.trimEnd()) && displayWidth(l.trim()) > cols - indent;
        if (!lone) expect(displayWidth(l), `${cols} columns: ${l}`).toBeLessThanOrEqual(cols);
      }
      const cut = [...words(lines)].filter((w) => !reference.has(w) && ![...reference].some((r) => r.startsWith(w) && w.endsWith(',')));
      expect(cut, `${cols} columns: words not in the unwrapped output`).toEqual([]);
    }
  }, 120_000);
});

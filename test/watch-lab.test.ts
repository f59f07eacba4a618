/**
 * `h2doctor watch` against the flapping lab scenario (src/lab/scenarios/flapping.ts): 127.0.0.2 loses
 * h2 on every other round. The expectation, written before running watch: runs alternate ok / fail,
 * alpn-no-h2 comes and goes on 127.0.0.2 (never on 127.0.0.1), dns-addresses-disagree with it, and the
 * times of the changes are the times of the runs. The history file replays to the same summary.
 * Independent check of the server itself: curl's ALPN on 127.0.0.2 alternates round by round too.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabPki } from '../src/lab/pki.js';
import { FLAPPING_SCENARIOS, FLAP_ADDRESS } from '../src/lab/scenarios/flapping.js';
import type { RunningScenario } from '../src/lab/helpers.js';
import type { WatchSummary } from '../src/model/watch.js';
import type { WatchRun } from '../src/model/watch.js';
import { findBinary } from './real-helpers.js';
import { Ajv2020 as Ajv } from 'ajv/dist/2020.js';

const watchSchema = JSON.parse(readFileSync(new URL('../docs/watch.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
const validateLine = ajv.compile(watchSchema);

const BIN = new URL('../dist/cli/main.js', import.meta.url).pathname;
let running: RunningScenario;
let dir: string;
let ca: string;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 99) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  const pki = await createLabPki();
  dir = mkdtempSync(join(tmpdir(), 'h2d-watch-'));
  ca = join(dir, 'ca.pem');
  writeFileSync(ca, pki.rootCa.certPem);
  running = await FLAPPING_SCENARIOS[0]!.start({ pki });
});
afterAll(async () => {
  await running?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const base = () => [running.url, '--cacert', ca, '--resolve', running.resolve![0]!];

describe('watch on a flapping address', () => {
  test('curl sees the flapping address alternate (ground truth for the scenario)', async () => {
    const curl = findBinary('curl');
    if (!curl) return;
    const port = new URL(running.url).port;
    const alpn: string[] = [];
    for (let i = 0; i < 2; i++) {
      // Asynchronous: the scenario's servers run in this process.
      const r = await new Promise<{ stderr: string }>((resolve) =>
        execFile(curl, ['-sv', '--http2', '-o', '/dev/null', '--cacert', ca, '--resolve', `localhost:${port}:${FLAP_ADDRESS}`, running.url], { timeout: 10_000 }, (_e, _o, stderr) => resolve({ stderr })),
      );
      alpn.push(/ALPN: server accepted (\S+)/.exec(r.stderr)?.[1] ?? /ALPN: server did not agree/.exec(r.stderr)?.[0] ?? 'none');
      await new Promise((res) => setTimeout(res, 1200));
    }
    expect(new Set(alpn)).toEqual(new Set(['h2', 'http/1.1']));
  });

  test('reports the flapping codes, the address and the times; the history replays to the same summary', async () => {
    const hist = join(dir, 'history.ndjson');
    const r = await run(['watch', ...base(), '--every', '1200ms', '--count', '4', '--history', hist, '--json']);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const runs = lines.filter((l) => l.type === 'run') as WatchRun[];
    const summary = lines.find((l) => l.type === 'summary') as WatchSummary;
    expect(runs).toHaveLength(4);
    for (const l of lines) {
      expect(l.schemaVersion).toBe(1);
      validateLine(l);
      expect(validateLine.errors ?? []).toEqual([]);
    }
    // Some run failed: exit 1, as a diagnosis that fails.
    expect(r.code).toBe(1);
    const verdicts = runs.map((x) => x.verdict);
    expect(verdicts).toContain('ok');
    expect(verdicts).toContain('fail');

    const flap = summary.flaps.find((f) => f.code === 'alpn-no-h2');
    expect(flap).toBeDefined();
    expect(flap!.address).toBe(FLAP_ADDRESS);
    expect(flap!.resolver).toBe('resolve-pin');
    const withCode = runs.filter((x) => x.addresses.find((a) => a.address === FLAP_ADDRESS)!.codes.includes('alpn-no-h2'));
    expect(flap!.seen).toBe(withCode.length);
    expect(flap!.of).toBe(4);
    // The times of the changes are the start times of the runs where the code appeared or cleared.
    expect(flap!.changes.some((c) => c.change === 'appeared')).toBe(true);
    expect(flap!.changes.some((c) => c.change === 'cleared')).toBe(true);
    for (const c of flap!.changes) {
      const at = runs.find((x) => x.seq === c.seq)!;
      expect(c.at).toBe(at.at);
      expect(at.addresses.find((a) => a.address === FLAP_ADDRESS)!.codes.includes('alpn-no-h2')).toBe(c.change === 'appeared');
    }
    expect(summary.flaps.some((f) => f.code === 'dns-addresses-disagree')).toBe(true);
    // 127.0.0.1 never flaps.
    expect(summary.flaps.filter((f) => f.address === '127.0.0.1')).toEqual([]);

    const history = readFileSync(hist, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(history.every((l) => l.schemaVersion === 1)).toBe(true);
    for (const l of history) {
      validateLine(l);
      expect(validateLine.errors ?? []).toEqual([]);
    }
    const replay = await run(['watch', '--history', hist, '--summary', '--json']);
    expect(replay.code).toBe(1);
    expect(JSON.parse(replay.stdout)).toEqual(summary);

    // Resumed: the count continues and the summary covers both watches.
    const more = await run(['watch', ...base(), '--every', '1200ms', '--count', '1', '--history', hist, '--json']);
    const moreLines = more.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(moreLines[0].seq).toBe(5);
    expect(moreLines[1].runs).toBe(5);
  });

  test('on a terminal (a real pty from util-linux script): the live table redrawn in place, with the strip', async () => {
    const script = findBinary('script');
    if (!script) return;
    const cmd = [process.execPath, BIN, 'watch', ...base(), '--every', '1200ms', '--count', '2', '--no-proxy'].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const r = await new Promise<{ stdout: string }>((resolve) =>
      execFile(script, ['-qec', `stty cols 160 rows 50; ${cmd}; true`, '/dev/null'], { timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } }, (_e, stdout) => resolve({ stdout })),
    );
    const out = r.stdout.replace(/\r/g, '');
    expect(out).toMatch(/recent \(oldest → newest\)/);
    // The second table is drawn over the first: cursor up over its lines, clear to the end.
    expect(out).toMatch(/\x1b\[\d+F\x1b\[J/);
    expect(out).toMatch(/^resolve-pin +127\.0\.0\.2 +\w+ .* (✓✗|✗✓) /m);
    expect(out).toMatch(/Summary of \d+ runs/);
  });

  test('Ctrl-C (SIGINT) ends a watch without --count cleanly, with the summary', async () => {
    const child = spawn(process.execPath, [BIN, 'watch', ...base(), '--every', '1200ms'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const code = await new Promise<number | null>((resolve) => {
      const t = setInterval(() => {
        if ((out.match(/ #\d+ /g) ?? []).length >= 2) {
          clearInterval(t);
          child.kill('SIGINT');
        }
      }, 100);
      child.once('exit', (c) => {
        clearInterval(t);
        resolve(c);
      });
      setTimeout(() => child.kill('SIGKILL'), 40_000).unref();
    });
    expect(err).toBe('');
    expect(out).toMatch(/Summary of \d+ runs/);
    expect(out).toMatch(/alpn-no-h2 \(error\) on 127\.0\.0\.2/);
    expect(code).toBe(1);
  });
});

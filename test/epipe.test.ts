/**
 * `h2doctor … | head -1`: a closed stdout ends the output quietly (no stack trace, no "EPIPE" on
 * stderr), for every command that writes much, and the exit status is the command's own.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import http2 from 'node:http2';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listen, type Listening } from '../src/lab/servers.js';

const CLI = new URL('../dist/h2doctor.cjs', import.meta.url).pathname;
let server: Listening;
let dir: string;

beforeAll(async () => {
  // A cleartext h2c server: diagnose, trace and init all have something to say about it.
  server = await listen(http2.createServer((_q, s) => s.end('ok\n')), '127.0.0.1');
  dir = mkdtempSync(join(tmpdir(), 'h2d-epipe-'));
  // A checks file and a target list for check and scan (each expectation is what the server does).
  writeFileSync(join(dir, 'checks.yaml'), `version: 1\nenvironments:\n  local:\n    baseUrl: http://127.0.0.1:${server.port}\nchecks:\n  - name: root\n    url: /\n    expect:\n      maxSeverity: warning\n`);
  writeFileSync(join(dir, 'targets.txt'), `http://127.0.0.1:${server.port}/\n`);
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Run the CLI with stdout into a pipe that closes after the first line (what `| head -1` does). */
function headOne(args: string[]): Promise<{ code: number | null; stderr: string; first: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let stderr = '';
    let first = '';
    c.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const i = out.indexOf('\n');
      if (i >= 0 && !first) {
        first = out.slice(0, i);
        c.stdout.destroy();
      }
    });
    c.stderr.on('data', (d) => (stderr += d));
    c.on('close', (code) => resolve({ code, stderr, first }));
  });
}

describe('EPIPE on stdout is quiet for every command', () => {
  const url = () => `http://127.0.0.1:${server.port}/`;
  const cases: Array<[string, () => string[], number[]]> = [
    ['diagnose --json', () => [url(), '--json', '--max-time', '5'], [0, 1]],
    ['diagnose', () => [url(), '-v', '--max-time', '5'], [0, 1]],
    ['trace', () => ['trace', url(), '--http2-prior-knowledge', '--max-time', '5'], [0, 1]],
    ['trace --json', () => ['trace', url(), '--http2-prior-knowledge', '--json', '--max-time', '5'], [0, 1]],
    ['lab --list', () => ['lab', '--list'], [0]],
    ['help', () => ['--help'], [0]],
    ['explain', () => ['explain', 'error reading server preface: http2: frame too large'], [0, 1]],
    // The other commands that end by themselves (exporter, worker, capture-client and lab <id> serve until stopped).
    ['explain --json', () => ['explain', '--json', 'error reading server preface: http2: frame too large'], [0, 1]],
    ['check', () => ['check', join(dir, 'checks.yaml'), '--env', 'local'], [0, 1]],
    ['check --json', () => ['check', join(dir, 'checks.yaml'), '--env', 'local', '--json'], [0, 1]],
    ['init -o -', () => ['init', url(), '-o', '-', '--max-time', '5'], [0]],
    ['watch', () => ['watch', url(), '--count', '2', '--every', '1s', '--max-time', '5'], [0, 1]],
    ['scan', () => ['scan', join(dir, 'targets.txt'), '--max-time', '5'], [0, 1]],
    ['lab --diagnose', () => ['lab', '--diagnose', 'cleartext-http1-only', 'preface-closed'], [0]],
    ['completion bash', () => ['completion', 'bash'], [0]],
    ['help trace', () => ['help', 'trace'], [0]],
  ];
  test.each(cases)('%s | head -1', async (_name, args, codes) => {
    const r = await headOne(args());
    expect(r.first.length).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/EPIPE|Error:|at .*\(/);
    expect(codes).toContain(r.code);
  }, 30_000);
});

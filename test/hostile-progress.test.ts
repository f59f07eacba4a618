/**
 * While a diagnosis waits on a terminal, a progress line on stderr says what is running (issue 12
 * item 5), redrawn in place and erased at the end; with stderr not a terminal there is none. The
 * terminal is a real pty (util-linux `script`, as test/terminal-width does); the server is a tarpit
 * (accepts TCP, never answers), so the run lasts its --max-time.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import net from 'node:net';
import { listen, type Listening } from '../src/lab/servers.js';
import { findBinary, skipWithout } from './real-helpers.js';

const CLI = new URL('../dist/h2doctor.cjs', import.meta.url).pathname;
const SCRIPT = findBinary('script');

let tarpit: Listening;
beforeAll(async () => {
  const s = net.createServer((sock) => sock.on('error', () => {}));
  tarpit = await listen(s, '127.0.0.1');
});
afterAll(() => tarpit.stop());

const args = () => [`https://localhost:${tarpit.port}/`, '--resolve', `localhost:${tarpit.port}:127.0.0.1`, '-m', '2'];

describe.skipIf(skipWithout(SCRIPT, 'script (util-linux)'))('progress line', () => {
  test('on a terminal: the line names the target and what runs, and is erased before the report', () => {
    const quoted = [process.execPath, CLI, ...args()].map((a) => `'${a}'`).join(' ');
    // stdout to /dev/null: what the pty shows is stderr alone.
    const out = execFileSync(SCRIPT ?? 'script', ['-qec', `stty cols 100 rows 50; ${quoted} >/dev/null; true`, '/dev/null'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1', COLUMNS: '120' } });
    // It names the probes running (the tarpit holds the TLS handshakes), by their ids.
    expect(out).toMatch(new RegExp(`h2doctor: probing https://localhost:${tarpit.port}/ \\d+\\.\\d s, at most 2 s: 127\\.0\\.0\\.1/[a-z0-9-]+`));
    // Redrawn in place (CR, erase line), several times, and erased at the end: nothing of it is left.
    expect(out.split('\r\x1b[K').length).toBeGreaterThan(3);
    expect(out.replace(/\r?\n$/, '').endsWith('\r\x1b[K')).toBe(true);
    // Each redraw fits the terminal (COLUMNS 120 here).
    for (const draw of out.split('\r\x1b[K')) expect(draw.trim().length).toBeLessThan(120);
  }, 40_000);

  test('trace on a terminal: the line says after which event it waits, erased before each event and at the end', () => {
    const quoted = [process.execPath, CLI, 'trace', ...args()].map((a) => `'${a}'`).join(' ');
    const out = execFileSync(SCRIPT ?? 'script', ['-qec', `stty cols 100 rows 50; ${quoted} >/dev/null; true`, '/dev/null'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1', COLUMNS: '120' } });
    expect(out).toMatch(new RegExp(`h2doctor: tracing https://localhost:${tarpit.port}/ \\d+\\.\\d s, at most \\d+\\.\\d s: waiting after tls-offer`));
    expect(out.split('\r\x1b[K').length).toBeGreaterThan(3);
    expect(out.replace(/\r?\n$/, '').endsWith('\r\x1b[K')).toBe(true);
  }, 40_000);

  test('not a terminal: no progress line at all', () => {
    const r = spawnSync(process.execPath, [CLI, ...args()], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/probing|\x1b\[K/);
  }, 40_000);
});

/**
 * Oversized input from the user is refused with one line and exit 2, without reading it all:
 * standard input (explain's text, `check -`) and checks files over 4 MiB.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = new URL('../dist/h2doctor.cjs', import.meta.url).pathname;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'h2d-input-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the CLI feeding `bytes` of stdin (as fast as it reads; EPIPE once it stops reading is fine). */
function run(args: string[], bytes = 0): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [CLI, ...args]);
    let stderr = '';
    c.stderr.on('data', (d) => (stderr += d));
    c.stdin.on('error', () => {});
    const chunk = Buffer.alloc(1 << 20, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!c.stdin.write(chunk)) return void c.stdin.once('drain', pump);
      }
      c.stdin.end();
    };
    if (bytes) pump();
    else c.stdin.end();
    c.on('close', (code) => {
      sent = bytes;
      resolve({ code, stderr });
    });
  });
}

describe('input bounds', () => {
  test.each([['explain'], ['check', '-']])('%s: 64 MiB on stdin is refused with exit 2 and one line', async (...args) => {
    const r = await run(args, 64 << 20);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/standard input is over 4 MiB/);
  }, 30_000);

  test('a checks file over 4 MiB is refused with exit 2', async () => {
    const f = join(dir, 'big.yaml');
    writeFileSync(f, `# ${'x'.repeat(5 << 20)}\n`);
    const r = await run(['check', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/over the 4 MiB a checks file may have/);
  }, 30_000);
});

describe('bad user input: one line, exit 2, before any connection', () => {
  test.each([
    [['--sni', 'a'.repeat(300)], /--sni: .* is not a valid server name \(300 characters, at most 253\)/],
    [['--sni', 'bad..name'], /an empty label/],
    [['--sni', 'x_y.-bad-.example'], /inner hyphens only/],
    [['--timeout', '5'], /--timeout must be between 100 and/],
    [['--max-time', '0'], /--max-time must be between 0.1 and 3600 seconds/],
    [['--max-time', 'soon'], /--max-time wants seconds/],
  ])('%j', async (flags, message) => {
    const r = await run(['https://example.invalid/', ...(flags as string[])]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message as RegExp);
  }, 30_000);

  test('a broken PEM block in --cacert', async () => {
    const f = join(dir, 'broken.pem');
    writeFileSync(f, '-----BEGIN CERTIFICATE-----\nMIIBxyz\n-----END CERTIFICATE-----\n');
    const r = await run(['https://example.invalid/', '--cacert', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--cacert: .*certificate 1 is not a valid PEM certificate/);
  }, 30_000);
});

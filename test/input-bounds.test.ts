/**
 * Oversized input from the user is refused with one line and exit 2, without reading it all:
 * `check -` and `scan -` on standard input and checks files over 4 MiB, explain's standard input
 * over 64 MiB (a 600 MB stream: exit 2 after reading at most the cap). Up to its cap explain reads a
 * paste line by line, explains a bounded window of it and says what it skipped (issue 12).
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

/** Run the CLI feeding `bytes` of stdin (as fast as it reads; EPIPE once it stops reading is fine); `sent`: the bytes the pipe took. */
function run(args: string[], bytes = 0): Promise<{ code: number | null; stderr: string; sent: number }> {
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
      const took = sent;
      sent = bytes;
      resolve({ code, stderr, sent: took });
    });
  });
}

describe('input bounds', () => {
  /**
   * Every command that reads standard input, its cap, and what it says past it: a 600 MB stream
   * (generated, 1 MiB writes as fast as the pipe takes them) is refused with exit 2 once the cap is
   * read, without reading the rest: the pipe took at most the cap and a few MiB of buffers.
   */
  test.each([
    [['explain'], 64, /standard input is over 64 MiB; refused/],
    [['explain', '-'], 64, /standard input is over 64 MiB; refused/],
    [['check', '-'], 4, /standard input is over 4 MiB; refused/],
    [['scan', '-'], 4, /standard input is over 4 MiB; refused/],
  ])('%j: 600 MB on stdin, exit 2 after reading at most its cap (%i MiB)', async (args, capMiB, message) => {
    const r = await run(args as string[], 600 * 1000 * 1000);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.sent).toBeLessThan(((capMiB as number) + 4) * 1024 * 1024);
  }, 60_000);

  test.each([['check', '-']])('%s: 64 MiB on stdin is refused with exit 2 and one line', async (...args) => {
    const r = await run(args, 64 << 20);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/standard input is over 4 MiB/);
  }, 30_000);

  test('explain: 64 MiB of log on stdin is read line by line; the error in the middle is found with its line number, the skipped lines said', async () => {
    const line = `INFO request served in three ms ${'x'.repeat(66)}\n`; // 100 characters
    const perChunk = (1 << 20) / line.length;
    const chunk = line.repeat(Math.floor(perChunk));
    const linesPerChunk = Math.floor(perChunk);
    const error = 'Get "https://api.example.test/": x509: certificate signed by unknown authority\n';
    const feed = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const c = spawn(process.execPath, [CLI, ...args]);
        let stdout = '';
        let stderr = '';
        c.stdout.on('data', (d) => (stdout += d));
        c.stderr.on('data', (d) => (stderr += d));
        c.stdin.on('error', () => {});
        let i = 0;
        const pump = () => {
          while (i < 64) {
            const piece = i === 32 ? error + chunk : chunk;
            i++;
            if (!c.stdin.write(piece)) return void c.stdin.once('drain', pump);
          }
          c.stdin.end();
        };
        pump();
        c.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const errorLine = 32 * linesPerChunk + 1;
    const text = await feed(['explain', '--color=never']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/read line by line:\s+\d+ lines\s+that\s+carry\s+no\s+error/);
    expect(text.stdout).toContain(`line ${errorLine}`);
    const json = await feed(['explain', '--json']);
    const r = JSON.parse(json.stdout) as { scanned: { lines: number; skippedLines: number; windowed: boolean }; causes: Array<{ code: string }>; recognised: Array<{ line: number }> };
    expect(r.scanned).toMatchObject({ lines: 64 * linesPerChunk + 1, windowed: true });
    expect(r.scanned.skippedLines).toBeGreaterThan(60 * linesPerChunk);
    expect(r.causes[0]!.code).toBe('cert-untrusted');
    expect(r.recognised[0]!.line).toBe(errorLine);
  }, 60_000);

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

/**
 * The published CLI is one bundled file (scripts/bundle.mjs) behind a small bin entry (package.json
 * "bin"): it runs, it is what the package points at, and it loads only what a command needs
 * (`--version` nothing at all, a diagnosis no YAML / JSON-schema / X.509 library), and the V8 code
 * cache written at build time is one this Node accepts. Speed itself is measured by `npm run bench`.
 */
import { describe, expect, test, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { Script } from 'node:vm';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabPki } from '../src/lab/pki.js';
import { findScenario } from '../src/lab/scenarios.js';
import type { RunningScenario } from '../src/lab/helpers.js';
import { VERSION } from '../src/version.js';

const ROOT = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const BIN = join(ROOT, pkg.bin.h2doctor);

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 99) : 0, stdout, stderr });
    });
  });
}
/** Modules a run asked Node for (NODE_DEBUG=module lists every require). */
const loaded = (stderr: string) => [...stderr.matchAll(/Module\._load REQUEST (\S+)/g)].map((m) => m[1]!);

describe('the bundled CLI', () => {
  test('package.json bin is the bin entry, with a shebang', () => {
    expect(pkg.bin.h2doctor).toBe('dist/h2doctor.cjs');
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  test('the bin entry names the code cache of this very bundle, and V8 accepts it', () => {
    const entry = readFileSync(BIN, 'utf8');
    const name = /'(h2doctor-[0-9a-f]{12}\.cache)'/.exec(entry)?.[1];
    expect(name).toBeDefined();
    // One cache in dist/, the one named: a stale one would be gone.
    expect(readdirSync(join(ROOT, 'dist')).filter((f) => f.endsWith('.cache'))).toEqual([name]);
    const file = join(ROOT, 'dist', 'h2doctor-code.cjs');
    const wrapper = '(function (exports, require, module, __filename, __dirname) {' + readFileSync(file, 'utf8') + '\n})';
    const script = new Script(wrapper, { filename: file, cachedData: readFileSync(join(ROOT, 'dist', name!)) });
    expect(script.cachedDataRejected).toBe(false);
  });

  test('--version prints the version and loads no module at all', async () => {
    const r = await run(['--version'], { NODE_DEBUG: 'module' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`h2doctor ${VERSION}\n`);
    expect(loaded(r.stderr)).toEqual([]);
  });

  let dir: string;
  let s: RunningScenario;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'h2d-bundle-'));
    const pki = await createLabPki();
    writeFileSync(join(dir, 'ca.pem'), pki.rootCa.certPem);
    s = await findScenario('healthy-tls')!.start({ pki });
  });
  afterAll(async () => {
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a diagnosis through the bundle: the same verdict, and only Node built-ins loaded', async () => {
    const pins = (s.resolve ?? []).flatMap((r) => ['--resolve', r]);
    const r = await run([s.url, '--json', '--cacert', join(dir, 'ca.pem'), ...pins], { NODE_DEBUG: 'module' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).verdict).toBe('ok');
    const mods = loaded(r.stderr);
    expect(mods.length).toBeGreaterThan(0);
    expect(mods.filter((m) => !m.startsWith('node:'))).toEqual([]);
  });

  test('the bundle is ASCII (read as latin1 by the bin entry): text outside ASCII still prints as written', async () => {
    const code = readFileSync(join(ROOT, 'dist', 'h2doctor-code.cjs'));
    expect(code.every((b) => b < 0x80)).toBe(true);
    expect(readFileSync(BIN, 'utf8')).toContain("readFileSync(file, 'latin1')");
    // The help's first line has an em dash (src/cli/help.ts): escaped in the bundle, printed as UTF-8.
    const r = await run(['--help']);
    expect(r.stdout.split('\n')[0]).toBe(`h2doctor ${VERSION} \u2014 why does HTTP/2 fail here, and how do I fix it?`);
  });

  test('a lazily loaded command (explain) still runs from the bundle', async () => {
    const r = await run(['explain', 'error reading server preface: http2: frame too large']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/preface/);
  });
});

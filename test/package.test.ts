/**
 * The package as a user gets it: `npm pack`, then `npm i -g ./h2doctor-*.tgz` (into a temporary
 * prefix) and `npx --package ./h2doctor-*.tgz h2doctor`, run from a folder that is not the clone:
 * --version, the man page inside, and a diagnosis of a lab scenario.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabPki } from '../src/lab/pki.js';
import { findScenario } from '../src/lab/scenarios.js';
import type { RunningScenario } from '../src/lab/helpers.js';
import { VERSION } from '../src/version.js';

const ROOT = new URL('..', import.meta.url).pathname;
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let dir: string;
let tgz: string;
let prefix: string;
let elsewhere: string;
let scenario: RunningScenario;
let caFile: string;
// npm from the local cache first: the registry only for what the cache lacks.
const npmEnv = { ...process.env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'h2d-package-'));
  elsewhere = join(dir, 'elsewhere');
  prefix = join(dir, 'prefix');
  execFileSync('mkdir', ['-p', elsewhere, prefix]);
  const out = execFileSync(NPM, ['pack', '--pack-destination', dir, '--json'], { cwd: ROOT, encoding: 'utf8', env: npmEnv });
  tgz = join(dir, (JSON.parse(out) as Array<{ filename: string }>)[0]!.filename);
  execFileSync(NPM, ['install', '-g', '--prefix', prefix, tgz], { cwd: elsewhere, env: npmEnv, stdio: 'ignore', timeout: 240_000 });
  const pki = await createLabPki();
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pki.rootCa.certPem);
  scenario = await findScenario('healthy-tls')!.start({ pki });
}, 300_000);
afterAll(async () => {
  await scenario?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm pack → install → run, outside the clone', () => {
  test('the tarball holds the CLI bundle, the library, the schemas and the man page; no tests', () => {
    const files = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).split('\n');
    for (const f of ['package/dist/h2doctor.cjs', 'package/dist/index.js', 'package/docs/report.schema.json', 'package/docs/h2doctor.1']) expect(files, f).toContain(f);
    expect(files.filter((f) => f.endsWith('.test.js'))).toEqual([]);
  });

  test('npm i -g ./h2doctor-*.tgz: --version and a diagnosis of a lab scenario', async () => {
    const bin = join(prefix, 'bin', 'h2doctor');
    expect(existsSync(bin)).toBe(true);
    const v = spawnSync(bin, ['--version'], { cwd: elsewhere, encoding: 'utf8' });
    expect(v.stdout.trim()).toBe(`h2doctor ${VERSION}`);
    expect(v.status).toBe(0);
    // Asynchronously: the lab server runs in this process and must keep answering.
    const d = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
      execFile(bin, [scenario.url, '--cacert', caFile, ...(scenario.resolve ?? []).flatMap((r) => ['--resolve', r]), '--json'], { cwd: elsewhere, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ status: err ? Number((err as { code?: number }).code ?? 99) : 0, stdout, stderr }),
      ),
    );
    expect(d.stderr).toBe('');
    expect(d.status, d.stdout.slice(0, 3000)).toBe(0);
    const report = JSON.parse(d.stdout) as { schemaVersion: number; verdict: string; negotiated: { protocol: string } };
    expect(report).toMatchObject({ schemaVersion: 1, verdict: 'ok', negotiated: { protocol: 'h2' } });
    // The library resolves from the installed package too.
    const lib = join(prefix, 'lib', 'node_modules', 'h2doctor');
    expect(readdirSync(lib)).toContain('dist');
    const imp = spawnSync(process.execPath, ['--input-type=module', '-e', `import('${lib}/dist/index.js').then((m) => console.log(typeof m.diagnose))`], { cwd: elsewhere, encoding: 'utf8' });
    expect(imp.stdout.trim()).toBe('function');
  });

  test('npx --package ./h2doctor-*.tgz h2doctor --version, from another folder', () => {
    const r = spawnSync(NPM, ['exec', '--yes', '--package', tgz, '--', 'h2doctor', '--version'], { cwd: elsewhere, encoding: 'utf8', env: { ...npmEnv, npm_config_cache: join(dir, 'npx-cache') }, timeout: 240_000 });
    expect(r.stdout.trim()).toBe(`h2doctor ${VERSION}`);
  }, 240_000);
});

/**
 * Every machine output has a JSON Schema in docs/, all of one draft (2020-12), each compiling in
 * ajv's strict mode; and what diagnose, trace, check and explain print with --json validates
 * against its schema, schemaVersion first.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { runCli } from '../src/cli/run.js';
import type { CliIO } from '../src/cli/io.js';
import { createLabPki } from '../src/lab/pki.js';
import { findScenario } from '../src/lab/scenarios.js';
import type { RunningScenario } from '../src/lab/helpers.js';

const DOCS = new URL('../docs/', import.meta.url).pathname;
const SCHEMAS = readdirSync(DOCS).filter((f) => f.endsWith('.schema.json'));
// RFC 3339 date-time (ajv-formats' "date-time", without the dependency).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

const schema = (name: string) => JSON.parse(readFileSync(join(DOCS, name), 'utf8')) as Record<string, unknown>;
/** Strict ajv knowing every other schema of docs/ by its $id (init.schema.json refers to checks.schema.json). */
function strictAjv(except?: string): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  ajv.addFormat('date-time', DATE_TIME);
  for (const f of SCHEMAS) if (f !== except && typeof schema(f).$id === 'string') ajv.addSchema(schema(f));
  return ajv;
}

function io(env: Record<string, string> = {}): CliIO & { out: string; err: string } {
  const o = { out: '', err: '', stdout: (t: string) => void (o.out += t), stderr: (t: string) => void (o.err += t), readStdin: async () => '', stdinIsTTY: true, color: false, env, cwd: process.cwd() };
  return o;
}

describe('the schemas', () => {
  test('one draft for all, each strict-mode clean', () => {
    expect(SCHEMAS).toEqual(expect.arrayContaining(['report.schema.json', 'trace.schema.json', 'check.schema.json', 'explain.schema.json', 'checks.schema.json', 'init.schema.json']));
    for (const f of SCHEMAS) {
      const s = schema(f);
      expect(s.$schema, f).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(() => strictAjv(f).compile(s), f).not.toThrow();
    }
  });
});

describe('machine output validates against its schema', () => {
  let dir: string;
  let caFile: string;
  const running: RunningScenario[] = [];
  beforeAll(async () => {
    const pki = await createLabPki();
    dir = mkdtempSync(join(tmpdir(), 'h2d-schemas-'));
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, pki.rootCa.certPem);
    for (const id of ['healthy-tls', 'cert-expired', 'goaway-on-connect']) running.push(await findScenario(id)!.start({ pki }));
  }, 30_000);
  afterAll(async () => {
    await Promise.all(running.map((r) => r.stop()));
    rmSync(dir, { recursive: true, force: true });
  });
  const pinArgs = (r: RunningScenario) => ['--cacert', caFile, ...(r.resolve ?? []).flatMap((p) => ['--resolve', p])];

  function valid(file: string, data: unknown): void {
    const validate = strictAjv(file).compile(schema(file));
    const ok = validate(data);
    expect(ok ? [] : validate.errors?.slice(0, 5), file).toEqual([]);
    expect(Object.keys(data as object)[0], `${file}: schemaVersion first`).toBe('schemaVersion');
  }

  test('diagnose --json (healthy, expired certificate, and with -k)', async () => {
    for (const [r, extra] of [[running[0]!, []], [running[1]!, []], [running[1]!, ['-k']]] as const) {
      const x = io();
      await runCli([r.url, ...pinArgs(r), '--json', ...extra], x);
      valid('report.schema.json', JSON.parse(x.out));
    }
  });

  test('trace --json (healthy and a GOAWAY)', async () => {
    for (const r of [running[0]!, running[2]!]) {
      const x = io();
      await runCli(['trace', r.url, ...pinArgs(r), '--json'], x);
      valid('trace.schema.json', JSON.parse(x.out));
    }
  });

  test('check --json (one passing and one failing check)', async () => {
    const file = join(dir, 'checks.yaml');
    writeFileSync(
      file,
      `version: 1
environments:
  lab:
    cacert: ${caFile}
    resolve: [${running.flatMap((r) => r.resolve ?? []).join(', ')}]
checks:
  - name: healthy
    url: ${running[0]!.url}
    expect: { protocol: h2, maxSeverity: ok }
  - name: expired
    url: ${running[1]!.url}
    expect: { protocol: h2, maxSeverity: ok }
`,
    );
    const x = io();
    const code = await runCli(['check', file, '--env', 'lab', '--json'], x);
    expect(x.err).toBe('');
    expect(code).toBe(1);
    valid('check.schema.json', JSON.parse(x.out));
  });

  test('init --json (written to a file, and with -o -): the checks file as data validates against checks.schema.json too', async () => {
    const out = join(dir, 'init.yaml');
    const x = io();
    expect(await runCli(['init', running[0]!.url, ...pinArgs(running[0]!), '-o', out, '--json'], x)).toBe(0);
    const rec = JSON.parse(x.out) as { file: string; checksFile: unknown; diagnosis: { verdict: string }; text?: string };
    valid('init.schema.json', rec);
    expect(rec.file).toMatch(/init\.yaml$/);
    expect(rec.diagnosis.verdict).toBe('ok');
    expect(rec.text).toBeUndefined();
    const { parse } = await import('yaml');
    expect(rec.checksFile).toEqual(parse(readFileSync(out, 'utf8')));
    const checks = strictAjv('checks.schema.json').compile(schema('checks.schema.json'));
    expect(checks(rec.checksFile) ? [] : checks.errors).toEqual([]);

    const y = io();
    expect(await runCli(['init', running[1]!.url, ...pinArgs(running[1]!), '-o', '-', '--json'], y)).toBe(0);
    const broken = JSON.parse(y.out) as { file: null; text: string; warnings: string[]; diagnosis: { codes: string[] } };
    valid('init.schema.json', broken);
    expect(broken.file).toBeNull();
    expect(broken.text).toMatch(/^version: 1$/m);
    expect(broken.diagnosis.codes).toContain('cert-expired');
    expect(broken.warnings[0]).toMatch(/^HTTP\/2 fails on \S+ now \(cert-expired/);
  });

  test('explain --json, with and without --url', async () => {
    const x = io();
    await runCli(['explain', 'error reading server preface: http2: frame too large', '--json'], x);
    valid('explain.schema.json', JSON.parse(x.out));
    const y = io();
    await runCli(['explain', 'curl: (60) SSL certificate problem: certificate has expired', '--json', '--url', running[1]!.url.replace('localhost', '127.0.0.1'), '--cacert', caFile], y);
    valid('explain.schema.json', JSON.parse(y.out));
  });
});

/**
 * `h2doctor check` against the embedded lab, in process: examples/lab.yaml passes; a changed lab
 * behaviour fails the matching check with a clear reason; the seed's 426 expectations
 * (shared/seeds/002) hold against a server using h2doctor/server and fail against a bare 426.
 */
import { describe, expect, test, beforeAll, afterAll } from 'vitest';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import http2 from 'node:http2';
import { parseChecksFile } from '../src/check/parse.js';
import { loadCa, runChecks } from '../src/check/run.js';
import type { CheckPlan, CheckResult } from '../src/check/types.js';
import { startLabScenarios, labVariableNames } from '../src/cli/commands/lab-serve.js';
import { ALL_SCENARIOS } from '../src/lab/scenarios.js';
import { createLabPki } from '../src/lab/pki.js';
import { listen, type Listening } from '../src/lab/servers.js';
import { requireProtocol } from '../src/server/index.js';

const EXAMPLE = new URL('../examples/lab.yaml', import.meta.url).pathname;
const exampleText = readFileSync(EXAMPLE, 'utf8');

/** The scenarios examples/lab.yaml names through its variables. */
const usedScenarios = ALL_SCENARIOS.filter((s) => exampleText.includes(`\${${labVariableNames(s.id).url}}`));

let lab: Awaited<ReturnType<typeof startLabScenarios>>;
let caDir: string;

beforeAll(async () => {
  caDir = mkdtempSync(join(tmpdir(), 'h2d-check-'));
  lab = await startLabScenarios(usedScenarios, caDir);
});
afterAll(async () => {
  await lab?.stop();
  rmSync(caDir, { recursive: true, force: true });
});

async function planFor(text: string, vars: Record<string, string>, file = EXAMPLE): Promise<{ plan: CheckPlan; ca?: string }> {
  const parsed = parseChecksFile(text, file, { env: 'lab', processEnv: vars });
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('\n'));
  const ca = await loadCa(parsed.plan!.environment, dirname(file), file);
  if (!ca.ok) throw new Error(ca.error.message);
  return { plan: parsed.plan!, ...(ca.pem ? { ca: ca.pem } : {}) };
}

const why = (results: CheckResult[]) =>
  results
    .filter((r) => !r.passed)
    .map((r) => `${r.name}: ${r.error ?? r.failures.map((f) => f.message).join('; ')}`)
    .join('\n');

describe('examples/lab.yaml against the lab', () => {
  test('names scenarios that exist, and they all started', () => {
    expect(usedScenarios.length).toBeGreaterThanOrEqual(6);
    expect(lab.notes).toEqual([]);
  });

  test('every check passes', async () => {
    const { plan, ca } = await planFor(exampleText, lab.vars);
    const results = await runChecks(plan, { ...(ca ? { ca } : {}), timeoutMs: 2000 });
    expect(results.map((r) => r.name)).toEqual(plan.checks.map((c) => c.name));
    expect(why(results)).toBe('');
    expect(results.every((r) => r.passed)).toBe(true);
  });

  test('a changed behaviour (healthy-tls now answers like tls-alpn-no-h2) fails that check, and only it, with clear reasons', async () => {
    const h = labVariableNames('healthy-tls');
    const b = labVariableNames('tls-alpn-no-h2');
    const vars = { ...lab.vars, [h.url]: lab.vars[b.url]!, [h.pin]: lab.vars[b.pin]! };
    const { plan, ca } = await planFor(exampleText, vars);
    const results = await runChecks(plan, { ...(ca ? { ca } : {}), timeoutMs: 2000 });
    const failed = results.filter((r) => !r.passed);
    expect(failed.map((r) => r.name)).toEqual(['healthy-tls speaks h2']);
    const f = failed[0]!;
    expect(f.error).toBeUndefined();
    const by = Object.fromEntries(f.failures.map((x) => [x.expectation, x]));
    expect(by.protocol?.message).toBe('expected protocol h2, negotiated http/1.1');
    expect(by.alpnIncludes?.message).toBe('expected ALPN to include h2, server selected http/1.1');
    expect(by['status.h2']?.message).toBe('expected 200 over h2, got no h2 response');
    expect(by.maxSeverity?.message).toMatch(/found alpn-no-h2 \(error\)/);
    expect(f.line).toBe(exampleText.split('\n').findIndex((l) => l.includes('name: healthy-tls speaks h2')) + 1);
  });

  test('a stricter expectation fails with the observed value: certValidDays 365 on a lab certificate', async () => {
    const text = exampleText.replace(/certValidDays: 14/, 'certValidDays: 365');
    const { plan, ca } = await planFor(text, lab.vars);
    const [r] = await runChecks({ ...plan, checks: plan.checks.slice(0, 1) }, { ...(ca ? { ca } : {}), timeoutMs: 2000 });
    expect(r!.passed).toBe(false);
    expect(r!.failures.map((x) => x.expectation)).toEqual(['certValidDays']);
    expect(r!.failures[0]!.message).toMatch(/^expected the certificate valid 365 more days, it expires \d{4}-\d\d-\d\dT.*\(\d+ days left\)$/);
  });

  test('a WebSocket expectation never passes without WebSocket evidence', async () => {
    const text = exampleText.replace(/maxSeverity: ok\n      certValidDays: 14/, 'maxSeverity: ok\n      certValidDays: 14\n      websocket: { subprotocol: chat }');
    const { plan, ca } = await planFor(text, lab.vars);
    const [r] = await runChecks({ ...plan, checks: plan.checks.slice(0, 1) }, { ...(ca ? { ca } : {}), timeoutMs: 2000 });
    expect(r!.passed).toBe(false);
    // Other expectations may fail too once a WebSocket probe runs (its findings count for maxSeverity).
    expect(r!.failures.some((x) => x.expectation.startsWith('websocket'))).toBe(true);
  });

  test('a check whose server is gone fails, naming what is missing', async () => {
    const gone = ALL_SCENARIOS.find((s) => s.id === 'tcp-refused')!;
    const pki = await createLabPki();
    const r0 = await gone.start({ pki });
    await r0.stop();
    const h = labVariableNames('healthy-tls');
    const vars = { ...lab.vars, [h.url]: r0.url, [h.pin]: r0.resolve![0]! };
    const { plan, ca } = await planFor(exampleText, vars);
    const [r] = await runChecks({ ...plan, checks: plan.checks.slice(0, 1) }, { ...(ca ? { ca } : {}), timeoutMs: 2000 });
    expect(r!.passed).toBe(false);
    expect(r!.failures.find((x) => x.expectation === 'protocol')?.message).toBe('expected protocol h2, negotiated none');
    expect(r!.failures.find((x) => x.expectation === 'maxSeverity')?.message).toMatch(/tcp-refused \(error\)/);
  });
});

describe('the seed 002 expectations: HTTP/1.1 gets a 426 with Upgrade and a Problem Details detail', () => {
  const servers: Listening[] = [];
  let good: string;
  let bare: string;
  const checksFor = (url: string, pin: string) => `version: 1
environments:
  lab:
    cacert: ${join(caDir, 'ca.pem')}
    resolve: ["${pin}"]
checks:
  - name: http/1.1 is refused properly
    url: ${url}
    expect:
      protocol: h2
      status: { h2: 200, http/1.1: 426 }
      http1:
        status: 426
        upgradeIncludes: HTTP/2.0
        problemDetails: { detail: true }
`;

  beforeAll(async () => {
    const pki = await createLabPki();
    const c = await pki.preset('valid');
    const guard = requireProtocol({ minHttpVersion: '2.0' });
    const helper = http2.createSecureServer({ cert: c.serverCertPem, key: c.keyPem, allowHTTP1: true }, (req, res) => {
      if (!guard(req, res)) return;
      res.end('ok\n');
    });
    // A bare 426: no Upgrade header, a text body.
    const plain = http2.createSecureServer({ cert: c.serverCertPem, key: c.keyPem, allowHTTP1: true }, (req, res) => {
      if (req.httpVersionMajor >= 2) return void res.end('ok\n');
      res.writeHead(426, { 'content-type': 'text/plain' });
      res.end('use HTTP/2\n');
    });
    const a = await listen(helper, '127.0.0.1');
    const b = await listen(plain, '127.0.0.1');
    servers.push(a, b);
    good = `https://localhost:${a.port}/v2/orders`;
    bare = `https://localhost:${b.port}/v2/orders`;
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  const runOne = async (url: string) => {
    const port = new URL(url).port;
    const text = checksFor(url, `localhost:${port}:127.0.0.1`);
    const { plan, ca } = await planFor(text, {}, join(caDir, 'seed.yaml'));
    const [r] = await runChecks(plan, { ...(ca ? { ca } : {}), timeoutMs: 2000 });
    return r!;
  };

  // RFC 9110 §7.8: Upgrade lists protocol-name/version; the helper says HTTP/2.0, as in the seed.
  test('passes against h2doctor/server requireProtocol', async () => {
    const r = await runOne(good);
    expect(why([r])).toBe('');
  });

  test('fails against a bare 426, saying Upgrade and the Problem Details are missing', async () => {
    const r = await runOne(bare);
    expect(r.passed).toBe(false);
    const by = Object.fromEntries(r.failures.map((x) => [x.expectation, x.message]));
    expect(Object.keys(by).sort()).toEqual(['http1.problemDetails', 'http1.upgradeIncludes']);
    expect(by['http1.upgradeIncludes']).toBe('expected Upgrade to list HTTP/2.0, got no Upgrade header');
    expect(by['http1.problemDetails']).toMatch(/expected a Problem Details body .*got Content-Type: text\/plain/);
  });
});

/**
 * The --html reports in a real browser: headless Chromium (Debian `chromium`, through playwright-core),
 * opened from file:// with a fresh profile. Expected: the page shows the verdict and the chart (the
 * waterfall of a diagnosis, the timeline of a watch), logs no console error, fetches nothing but
 * itself, and reads the same with JavaScript off. Screenshots are kept in test-artifacts/ (gitignored)
 * for a reviewer to look at.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLabPki } from '../src/lab/pki.js';
import { findScenario } from '../src/lab/scenarios.js';
import type { RunningScenario } from '../src/lab/helpers.js';
import { findBinary, skipWithout } from './real-helpers.js';

const CHROMIUM = findBinary('chromium');
const skip = skipWithout(CHROMIUM, 'chromium');
const BIN = new URL('../dist/cli/main.js', import.meta.url).pathname;
export const ARTIFACTS = new URL('../test-artifacts/', import.meta.url).pathname;

let dir: string;
let broken: RunningScenario;
let flapping: RunningScenario;
let diagnosisHtml: string;
let watchHtml: string;
let checkHtml: string;
let scanHtml: string;
const ROOT = new URL('..', import.meta.url).pathname;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Proxy variables of the outer environment must not steer these loopback runs.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(https?_proxy|all_proxy|no_proxy|github_actions)$/i.test(k)));
    execFile(process.execPath, [BIN, ...args], { env: { ...env, NO_COLOR: '1' }, cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 99) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  if (skip) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  const pki = await createLabPki();
  dir = mkdtempSync(join(tmpdir(), 'h2d-html-'));
  const ca = join(dir, 'ca.pem');
  writeFileSync(ca, pki.rootCa.certPem);
  broken = await findScenario('tls-alpn-no-h2')!.start({ pki });
  flapping = await findScenario('flapping-address')!.start({ pki });
  diagnosisHtml = join(ARTIFACTS, 'diagnosis.html');
  watchHtml = join(ARTIFACTS, 'watch.html');
  const d = await run([broken.url, '--cacert', ca, '--resolve', broken.resolve![0]!, '--no-proxy', '--html', diagnosisHtml]);
  expect(d.code).toBe(1);
  const w = await run(['watch', flapping.url, '--cacert', ca, '--resolve', flapping.resolve![0]!, '--no-proxy', '--every', '1200ms', '--count', '3', '--summary', '--html', watchHtml]);
  expect(w.stderr).toBe('');
  checkHtml = join(ARTIFACTS, 'check.html');
  const c = await run(['lab', '--serve', '--', process.execPath, BIN, 'check', 'examples/lab.yaml', '--env', 'lab', '--html', checkHtml]);
  expect(c.stderr).toBe('');
  scanHtml = join(ARTIFACTS, 'scan.html');
  writeFileSync(join(dir, 'scan.csv'), `url,resolve\n${broken.url},${broken.resolve![0]}\n`);
  const s = await run(['scan', join(dir, 'scan.csv'), '--cacert', ca, '--no-proxy', '--no-progress', '--html', scanHtml]);
  expect(s.code, s.stderr).toBe(1);
}, 120_000);

afterAll(async () => {
  await broken?.stop();
  await flapping?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens a file in a fresh headless Chromium; what it logged and fetched, and the page to query. */
async function open(file: string, o: { js: boolean; shot?: string }) {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'h2d-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM!,
    headless: true,
    javaScriptEnabled: o.js,
    viewport: { width: 1200, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const errors: string[] = [];
  const requests: string[] = [];
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  const url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: 'load' });
  if (o.shot) await page.screenshot({ path: join(ARTIFACTS, o.shot), fullPage: true });
  return {
    page,
    errors,
    requests: requests.filter((r) => r !== url),
    close: async () => {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

describe.skipIf(skip)('HTML reports in headless Chromium', () => {
  test('a diagnosis: the verdict, the findings and the waterfall render; no console error, nothing fetched', async () => {
    const b = await open(diagnosisHtml, { js: true, shot: 'diagnosis.png' });
    try {
      const { page } = b;
      expect(await page.locator('#verdict').getAttribute('data-verdict')).toBe('fail');
      expect(await page.locator('#verdict').innerText()).toBe('FAIL');
      expect(await page.locator("#headline").innerText()).toMatch(/^HTTP\/2 is off: TLS clients are given HTTP\/1\.1 \(ALPN\) \(1 error/);
      const finding = page.locator('section.finding[data-code="alpn-no-h2"]');
      expect(await finding.isVisible()).toBe(true);
      expect(await finding.innerText()).toMatch(/Evidence[\s\S]*Fix[\s\S]*Reproduce[\s\S]*curl/);
      const bars = page.locator('svg#waterfall g.probe rect');
      expect(await bars.count()).toBeGreaterThan(2);
      const box = await page.locator('svg#waterfall').boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(50);
      expect(await page.locator('svg#waterfall g.probe title').first().textContent()).toMatch(/127\.0\.0\.1\//);
      expect(await page.locator('table#matrix').count()).toBe(1);
      expect(b.errors).toEqual([]);
      expect(b.requests).toEqual([]);
    } finally {
      await b.close();
    }
  }, 60_000);

  test('a watch: the verdict and the timeline per address coloured by verdict, codes on hover; what flapped', async () => {
    const b = await open(watchHtml, { js: true, shot: 'watch.png' });
    try {
      const { page } = b;
      expect(await page.locator('#verdict').getAttribute('data-verdict')).toBe('fail');
      const runs = page.locator('svg#timeline rect.run');
      expect(await runs.count()).toBeGreaterThanOrEqual(6);
      const verdicts = await runs.evaluateAll((els) => els.map((e) => e.getAttribute('data-verdict')));
      expect(verdicts).toContain('ok');
      expect(verdicts).toContain('fail');
      const tips = await page.locator('svg#timeline rect.run title').allTextContents();
      expect(tips.some((t) => /FAIL — alpn-no-h2/.test(t))).toBe(true);
      expect(await page.locator('table#flaps').innerText()).toMatch(/alpn-no-h2[\s\S]*127\.0\.0\.2/);
      expect(b.errors).toEqual([]);
      expect(b.requests).toEqual([]);
    } finally {
      await b.close();
    }
  }, 60_000);

  test('check: the verdict and one row per check', async () => {
    const b = await open(checkHtml, { js: true, shot: 'check.png' });
    try {
      const { page } = b;
      expect(await page.locator('#verdict').getAttribute('data-verdict')).toBe('ok');
      expect(await page.locator('#headline').innerText()).toMatch(/^\d+ passed, 0 failed/);
      expect(await page.locator('table#checks tr').count()).toBeGreaterThanOrEqual(7);
      expect(b.errors).toEqual([]);
      expect(b.requests).toEqual([]);
    } finally {
      await b.close();
    }
  }, 60_000);

  test('a fleet scan: the verdict, the verdict bar, the codes and the worst targets', async () => {
    const b = await open(scanHtml, { js: true, shot: 'scan.png' });
    try {
      const { page } = b;
      expect(await page.locator('#verdict').getAttribute('data-verdict')).toBe('fail');
      expect(await page.locator('#headline').innerText()).toBe('ok 0 · warn 0 · fail 1');
      expect(await page.locator('svg#verdict-bar rect').count()).toBe(1);
      expect(await page.locator('svg#verdict-bar rect title').textContent()).toBe('fail: 1 of 1');
      expect(await page.locator('table#codes').innerText()).toMatch(/1\s+error\s+alpn-no-h2/);
      expect(await page.locator('table#worst').innerText()).toMatch(/fail[\s\S]*alpn-no-h2/);
      expect(b.errors).toEqual([]);
      expect(b.requests).toEqual([]);
    } finally {
      await b.close();
    }
  }, 60_000);

  test('with JavaScript off the text is all there', async () => {
    const b = await open(diagnosisHtml, { js: false });
    try {
      const text = await b.page.locator('body').innerText();
      expect(text).toMatch(/FAIL/);
      expect(text).toMatch(/alpn-no-h2/);
      expect(text).toMatch(/Reproduce/);
      expect(await b.page.locator('svg#waterfall rect').count()).toBeGreaterThan(2);
    } finally {
      await b.close();
    }
  }, 60_000);
});

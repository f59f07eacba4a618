#!/usr/bin/env node
// Captures the client profiles in profiles/ from the real clients installed on this machine:
// each client is pointed at h2doctor's capture server (TLS with the lab CA, then cleartext), and
// its ClientHello and HTTP/2 opening become profiles/<id>.json (with version, date and JA4).
//
//   npm run build && node scripts/capture-clients.mjs [id…]     (a client that is not installed is skipped)
//
// Slow (Chromium, Java): a script whose output is checked in, not a test.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureSession } from '../dist/lab/capture.js';
import { createLabPki, writeLabPki } from '../dist/lab/pki.js';
import { profileFromCapture } from '../dist/clients/from-capture.js';
import { CLIENTS, buildGoProbe } from './client-sim/clients.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const only = process.argv.slice(2);
const work = await mkdtemp(join(tmpdir(), 'h2doctor-capture-'));
const pki = await createLabPki();
const cert = await pki.preset('valid');
const { caFile } = await writeLabPki(join(work, 'ca'), pki);
const ctx = { work, caFile, root };
await buildGoProbe(ctx).catch((e) => console.error(`go: ${e.message}`));

const run = (cmd, args, o = {}) =>
  new Promise((resolve) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...(o.env ?? {}) }, stdio: ['pipe', 'pipe', 'pipe'], cwd: o.cwd ?? work });
    let out = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (out += c));
    p.on('error', () => resolve(out));
    const t = setTimeout(() => p.kill('SIGKILL'), o.timeoutMs ?? 20000);
    p.on('close', () => (clearTimeout(t), resolve(out)));
    p.stdin.end(o.stdin ?? '');
  });

const date = new Date().toISOString().slice(0, 10);
let n = 0;
for (const c of CLIENTS) {
  if (only.length && !only.includes(c.id)) continue;
  if (!(await c.installed(ctx))) {
    console.log(`skip ${c.id}: not installed`);
    continue;
  }
  const version = await c.version(ctx, run);
  const s = await captureSession({ cert: { cert: cert.serverCertPem, key: cert.keyPem }, cleartext: !!c.http, timeoutMs: 30000 });
  const https = c.https(`https://localhost:${s.port}/`, ctx);
  const r1 = run(https.cmd, https.args, https);
  const t1 = await Promise.race([s.done.then(() => 'done'), r1.then(() => 'exited')]);
  if (t1 === 'exited') await Promise.race([s.done, new Promise((r) => setTimeout(r, 1000))]);
  let clearOut = '';
  if (c.http) {
    const h = c.http(`http://localhost:${s.port}/`, ctx);
    clearOut = await run(h.cmd, h.args, h);
  }
  const got = await Promise.race([s.done, new Promise((r) => setTimeout(() => r(s.partial()), 3000))]);
  await s.stop();
  const out1 = await r1;
  if (!got.tls) {
    console.log(`FAIL ${c.id}: no ClientHello captured\n${out1.slice(-600)}\n${clearOut.slice(-300)}`);
    continue;
  }
  const profile = profileFromCapture(
    { id: c.id, client: { name: c.name, version, ...(c.library ? { library: c.library(version) } : {}) }, date, with: 'scripts/capture-clients.mjs', command: c.describe, policy: c.policy },
    got.tls,
    got.cleartext,
  );
  await writeFile(join(root, 'profiles', `${c.id}.json`), JSON.stringify(profile, null, 2) + '\n');
  n++;
  console.log(`${c.id.padEnd(14)} ${version.padEnd(28)} ${profile.ja4}  alpn=${profile.tls?.alpn?.join(',') ?? '-'}  h2=${profile.h2?.akamai ?? '-'}  h2c=${profile.h2c?.mode ?? '-'}`);
}
await rm(work, { recursive: true, force: true });
console.log(`${n} profile(s) written to profiles/`);

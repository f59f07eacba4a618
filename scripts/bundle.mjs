#!/usr/bin/env node
// `npm run build`, second step: the published CLI as one bundled file, dist/h2doctor-code.cjs, behind
// a small bin entry, dist/h2doctor.cjs (package.json "bin").
// CommonJS on purpose: every module reached through a dynamic import() (each command, the explain
// catalogue, the lab, the check stack) stays inside the bundle but is evaluated only when first used,
// and npm dependencies (ajv, yaml, @peculiar/x509) stay `require`s inside those lazy initialisers, so
// a diagnosis never loads the YAML/JSON-schema stack. The library (dist/index.js) and the tests keep
// using tsc's per-module output.
//
// The bin entry answers `--version` from a constant written here, before it reads anything: Node
// reads and compiles a few hundred bytes instead of a megabyte (bench/speed.bench.mjs: `--version`
// against `node -e 0`). Any other command reads the bundle and compiles it with vm.Script, wrapped as
// Node's own CommonJS loader would (same line numbers in stack traces), with a V8 code cache: Node 20
// has no module compile cache, but vm.Script takes cachedData. The bundle is run once here on a
// healthy lab target, under the Node that builds it, and the bytecode of every function that run
// compiled is written to dist/h2doctor-<hash>.cache; a later run skips most parsing and compiling
// (a diagnosis against `node -e 0` in the same bench). The name carries a hash of the code, baked
// into the bin entry: V8 checks a cache against the source's length only, so a stale cache must
// never match. Another Node (another V8) rejects the cache and the code is compiled as without one;
// a missing cache is the same. H2DOCTOR_NO_CODE_CACHE=1 builds without it.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const bin = 'dist/h2doctor.cjs';
const codeName = 'h2doctor-code.cjs';
const codeFile = `dist/${codeName}`;
await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: codeFile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  legalComments: 'none',
  // import() of an npm package becomes require(): the bundle runs through vm, which has no dynamic import.
  supported: { 'dynamic-import': false },
  // import.meta.url in CommonJS: the bundle's own file (src/clients/load.ts finds profiles/ from it).
  define: { 'import.meta.url': '__h2doctorFileUrl' },
  banner: { js: "var __h2doctorFileUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
// No shebang in the bundle: it is compiled inside a function wrapper. Every character outside ASCII
// (esbuild keeps them in comments and regular expressions) as a \uXXXX escape, which means the same
// in strings, templates, regular expressions and identifiers (the code has no String.raw and reads
// no RegExp source) and is inert in comments: the bin entry then reads the bundle as latin1, a
// one-byte string with no UTF-8 decoding (about 5 ms less per run for 1.5 MB here).
const raw = readFileSync(codeFile, 'utf8').replace(/^#!.*\n/, '');
// A backslash right before such a character would turn the escape into other text.
if (/\\[^\x00-\x7f]/.test(raw)) throw new Error('bundle: a backslash before a non-ASCII character');
const code = raw.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
writeFileSync(codeFile, code);
const hash = createHash('sha256').update(code).digest('hex').slice(0, 12);
const cacheName = `h2doctor-${hash}.cache`;
const head = `#!/usr/bin/env node
"use strict";
// h2doctor ${version}: the CLI's entry (scripts/bundle.mjs). The code is ${codeName}, next to this file.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write('h2doctor ${version}\\n');
} else {
  const fs = require('node:fs');
  const path = require('node:path');
  const file = path.join(__dirname, '${codeName}');
  const wrapper = '(function (exports, require, module, __filename, __dirname) {' + fs.readFileSync(file, 'latin1') + '\\n})';
  let cachedData;
  try {
    cachedData = fs.readFileSync(path.join(__dirname, '${cacheName}'));
  } catch {}
  const script = new (require('node:vm').Script)(wrapper, { filename: file, cachedData });
  // Set only by scripts/bundle.mjs, which writes the cache after one run.
  const out = globalThis.__h2doctorWriteCodeCache;
  if (out) process.once('exit', () => fs.writeFileSync(out, script.createCachedData()));
  script.runInThisContext()(exports, require, module, file, __dirname);
}
`;
writeFileSync(bin, head);
chmodSync(bin, 0o755);

// The code cache: old caches out, then one diagnosis of the lab's healthy TLS server (TLS, HTTP/2,
// HTTP/1.1, the TLS checks, rules and the JSON report all run) through the bin entry just written.
for (const f of readdirSync('dist')) if (/^h2doctor-[0-9a-f]+\.cache$/.test(f)) rmSync(`dist/${f}`);
if (process.env.H2DOCTOR_NO_CODE_CACHE !== '1') await writeCodeCache();

async function writeCodeCache() {
  const { createLabPki } = await import('../dist/lab/pki.js');
  const { findScenario } = await import('../dist/lab/scenarios.js');
  const pki = await createLabPki();
  const dir = mkdtempSync(join(tmpdir(), 'h2d-codecache-'));
  const s = await findScenario('healthy-tls').start({ pki });
  try {
    writeFileSync(join(dir, 'ca.pem'), pki.rootCa.certPem);
    const entry = resolve(bin);
    const tmp = join(dir, cacheName);
    const args = [s.url, '--json', '--cacert', join(dir, 'ca.pem'), ...(s.resolve ?? []).flatMap((r) => ['--resolve', r])];
    const run = `globalThis.__h2doctorWriteCodeCache = ${JSON.stringify(tmp)}; process.argv = [process.execPath, ${JSON.stringify(entry)}, ...${JSON.stringify(args)}]; require(${JSON.stringify(entry)});`;
    // Asynchronous: the lab server lives in this process.
    const status = await new Promise((done) => {
      const c = spawn(process.execPath, ['-e', run], { stdio: ['ignore', 'ignore', 'inherit'] });
      const t = setTimeout(() => c.kill('SIGKILL'), 60_000);
      c.on('exit', (st) => (clearTimeout(t), done(st)));
    });
    if (status !== 0) throw new Error(`bundle: the code-cache run exited with ${status}`);
    writeFileSync(`dist/${cacheName}`, readFileSync(tmp));
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

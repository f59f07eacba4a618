#!/usr/bin/env node
// `npm run build`, second step: the published CLI as one file, dist/h2doctor.cjs (package.json "bin").
// CommonJS on purpose: every module reached through a dynamic import() (each command, the explain
// catalogue, the lab, the check stack) stays inside the file but is evaluated only when first used,
// and npm dependencies (ajv, yaml, @peculiar/x509) stay `require`s inside those lazy initialisers, so
// a diagnosis never loads the YAML/JSON-schema stack. The library (dist/index.js) and the tests keep
// using tsc's per-module output.
//
// Then the bundle's code goes into a block comment at the end of the file, behind a few lines that
// answer `--version` at once: V8 skips a comment far faster than it pre-parses a megabyte of code
// (bench/speed.bench.mjs: `--version` against `node -e 0`). Any other command reads the file again
// and compiles the code from the comment, as Node's own CommonJS loader would have.
import { build } from 'esbuild';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';

const outfile = 'dist/h2doctor.cjs';
await build({
  entryPoints: ['src/cli/main.ts'],
  outfile,
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
const code = readFileSync(outfile, 'utf8').replace(/^#!.*\n/, '');
// A comment cannot hold "*/": it is stored as "*\u0001/" and put back before compiling.
const ESC = '*\u0001/';
if (code.includes(ESC)) throw new Error('bundle: the escape sequence occurs in the code');
const head = `#!/usr/bin/env node
"use strict";
// h2doctor ${version}: the CLI, bundled (scripts/bundle.mjs). The code is the comment at the end.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write('h2doctor ${version}\\n');
} else {
  const all = require('node:fs').readFileSync(__filename, 'utf8');
  const at = all.lastIndexOf('/*' + '@@h2doctor@@');
  const body = all.slice(at + 14, all.lastIndexOf('*/')).split('*' + '\\u0001/').join('*/');
  const lineOffset = all.slice(0, at).split('\\n').length - 1;
  const wrapper = '(function (exports, require, module, __filename, __dirname) {' + body + '\\n})';
  require('node:vm').runInThisContext(wrapper, { filename: __filename, lineOffset })(exports, require, module, __filename, __dirname);
}
`;
writeFileSync(outfile, `${head}/*@@h2doctor@@${code.split('*/').join(ESC)}*/\n`);
chmodSync(outfile, 0o755);

#!/usr/bin/env node
// `npm run build`, second step: the published CLI as one file, dist/h2doctor.cjs (package.json "bin").
// CommonJS on purpose: every module reached through a dynamic import() (each command, the explain
// catalogue, the lab, the check stack) stays inside the file but is evaluated only when first used,
// and npm dependencies (ajv, yaml, @peculiar/x509) stay `require`s inside those lazy initialisers, so
// `h2doctor --version` evaluates almost nothing and a diagnosis never loads the YAML/JSON-schema stack.
// The library (dist/index.js) and the tests keep using tsc's per-module output.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

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
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);

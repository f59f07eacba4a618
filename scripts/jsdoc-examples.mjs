#!/usr/bin/env node
/**
 * Every export of src/diagnosis/, src/probes/ and src/report/ carries JSDoc with an `@example`
 * (issue 10, public API). An export is a top-level declaration with `export` (function, class,
 * const, interface, type, enum); re-exports (`export { x } from`) are documented where they are declared.
 * Tests are not modules.
 *
 * `node scripts/jsdoc-examples.mjs` lists the exports without one; `--write-baseline` records them
 * in scripts/jsdoc-examples.baseline.json. test/jsdoc-examples.test.ts fails on an export without an
 * example that the baseline does not list (a new one), and on a baseline entry that has one now or
 * is gone (so the list only shrinks).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { sourceFiles } from './lib/source-files.mjs';

export const DIRS = ['diagnosis', 'probes', 'report'];
const here = path.dirname(fileURLToPath(import.meta.url));
export const SRC = path.resolve(here, '..', 'src');
export const BASELINE = path.join(here, 'jsdoc-examples.baseline.json');

function names(st) {
  if (ts.isVariableStatement(st)) return st.declarationList.declarations.map((d) => d.name.getText());
  return st.name ? [st.name.getText()] : ['default'];
}

/** The exports of one file's text as `file#name`, each with whether its JSDoc has an @example. */
export function exportsOf(text, rel) {
  const sf = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out = [];
  for (const st of sf.statements) {
    if (!ts.canHaveModifiers(st) || !ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isExportDeclaration(st)) continue;
    const docs = st.jsDoc ?? [];
    const example = docs.some((d) => (d.tags ?? []).some((t) => t.tagName.text === 'example'));
    for (const n of names(st)) out.push({ id: `${rel}#${n}`, example });
  }
  return out;
}

/** Every export of the three folders without an @example, sorted. */
export function missingExamples(src = SRC) {
  const out = [];
  for (const d of DIRS) {
    for (const abs of sourceFiles(path.join(src, d))) {
      const rel = path.relative(src, abs).split(path.sep).join('/');
      for (const e of exportsOf(fs.readFileSync(abs, 'utf8'), rel)) if (!e.example) out.push(e.id);
    }
  }
  return out.sort();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const missing = missingExamples();
  if (process.argv.includes('--write-baseline')) fs.writeFileSync(BASELINE, JSON.stringify(missing, null, 2) + '\n');
  for (const m of missing) console.log(m);
  console.log(`${missing.length} export(s) of ${DIRS.map((d) => `src/${d}/`).join(', ')} without an @example`);
}

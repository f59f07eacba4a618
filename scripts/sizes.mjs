#!/usr/bin/env node
/**
 * Issue 10: no file of src/ over ~400 lines except data tables, no function over ~80 lines except
 * parsers that read field by field. `node scripts/sizes.mjs` lists what is over (tests excluded);
 * scripts/sizes.allow.json names each accepted exception with its reason (a data table, a parser,
 * or work still pending and whose). test/sizes.test.ts fails on anything over that the list does not
 * name, and on a listed entry that is no longer over (so the list only shrinks).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { sourceFiles } from './lib/source-files.mjs';

export const MAX_FILE_LINES = 400;
export const MAX_FUNCTION_LINES = 80;
const here = path.dirname(fileURLToPath(import.meta.url));
export const SRC = path.resolve(here, '..', 'src');
export const ALLOW = path.join(here, 'sizes.allow.json');

/** Functions of a file's text over the limit, as `file#name` with their length. */
export function longFunctions(text, rel, max = MAX_FUNCTION_LINES) {
  const sf = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out = [];
  const visit = (n, name) => {
    const fn = ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessor(n);
    if (fn && n.body) {
      const a = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
      const b = sf.getLineAndCharacterOfPosition(n.end).line;
      const nm = (n.name && n.name.getText(sf)) || name || '(anonymous)';
      if (b - a + 1 > max) out.push({ id: `${rel}#${nm}`, lines: b - a + 1 });
    }
    ts.forEachChild(n, (c) => visit(c, ts.isVariableDeclaration(n) || ts.isPropertyAssignment(n) ? n.name.getText(sf) : fn ? `${(n.name && n.name.getText(sf)) || name || '(anonymous)'}>inner` : name));
  };
  visit(sf, undefined);
  return out;
}

/** Everything over the limits: `file` (lines) and `file#function` (lines). */
export function oversized(src = SRC) {
  const out = [];
  for (const abs of sourceFiles(src)) {
    const rel = path.relative(src, abs).split(path.sep).join('/');
    const text = fs.readFileSync(abs, 'utf8');
    const lines = text.split('\n').length;
    if (lines > MAX_FILE_LINES) out.push({ id: rel, lines });
    out.push(...longFunctions(text, rel));
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const allow = JSON.parse(fs.readFileSync(ALLOW, 'utf8'));
  for (const o of oversized()) console.log(`${String(o.lines).padStart(5)}  ${o.id}${allow[o.id] ? `  (${allow[o.id]})` : '  NOT ALLOWED'}`);
}

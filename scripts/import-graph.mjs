#!/usr/bin/env node
/**
 * The import graph of src/ (type imports, re-exports and dynamic import() included), checked
 * against the layer order of CONTRIBUTING.md:
 *
 *   wire → model → transport → probes → diagnosis → report → apps (diagnose, trace, check,
 *   explain, …) → cli, with lab/ and server/ outside.
 *
 * A module may import its own layer or any layer below it, never above. `lab/` may import every
 * layer below cli (it builds servers and runs diagnoses); only cli imports lab. `server/` (helpers
 * for users' own servers) imports wire and model only. node:net / node:tls are imported only in
 * transport/ and lab/. Tests (*.test.ts) are not modules of the graph.
 *
 * Re-exports (`export … from`) only in the entry points and barrels (BARRELS): importers name the
 * module that defines what they use.
 *
 * `node scripts/import-graph.mjs` prints the violations, the cycles and the re-export shims (exit 1
 * when there is any);
 * test/import-graph.test.ts runs the same checks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { sourceFiles } from './lib/source-files.mjs';

/** Layers, bottom first. A path prefix (relative to src/) maps to its layer. */
export const LAYERS = ['wire', 'model', 'transport', 'probes', 'diagnosis', 'report', 'apps', 'cli'];

/** Where each top-level entry of src/ sits. Anything not listed is an error (a new folder needs a place). */
export const PLACES = {
  'wire/': 'wire',
  'util/': 'wire',
  'version.ts': 'wire',
  'model/': 'model',
  'types.ts': 'model',
  'target.ts': 'model',
  'transport/': 'transport',
  'probes/': 'probes',
  // Client profiles (data and their loader); turning a lab capture into one is the lab's side.
  'clients/from-capture.ts': 'lab',
  'clients/': 'probes',
  'diagnosis/': 'diagnosis',
  'report/': 'report',
  'diagnose.ts': 'apps',
  'trace/': 'apps',
  'check/': 'apps',
  'explain/': 'apps',
  'watch/': 'apps',
  'exporter/': 'apps',
  'scan/': 'apps',
  'profiles/': 'apps',
  'index.ts': 'cli',
  'cli/': 'cli',
  'lab/': 'lab',
  'server/': 'server',
};

/** What the two outside places may import. */
const OUTSIDE = {
  lab: new Set(['wire', 'model', 'transport', 'probes', 'diagnosis', 'report', 'apps', 'lab', 'server']),
  server: new Set(['wire', 'model', 'server']),
};

const SOCKET_MODULES = new Set(['node:net', 'node:tls', 'net', 'tls']);
const SOCKET_PLACES = new Set(['transport', 'lab']);

/** The place of a file (path relative to src/, with '/'). */
export function placeOf(rel) {
  for (const [prefix, place] of Object.entries(PLACES)) {
    if (prefix.endsWith('/') ? rel.startsWith(prefix) : rel === prefix) return place;
  }
  return undefined;
}

/** May a module in `from` import one in `to`? */
export function allowed(from, to) {
  if (from === 'lab' || from === 'server') return OUTSIDE[from].has(to);
  if (to === 'lab') return from === 'cli';
  if (to === 'server') return from === 'cli';
  return LAYERS.indexOf(to) <= LAYERS.indexOf(from);
}

/**
 * Every module specifier a file names: import, import type, export … from, import(), require().
 * With `split`, { static, lazy }: lazy are the `import()` calls (deferred loads).
 */
export function specifiers(text, fileName = 'x.ts', split = false) {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out = [];
  const lazy = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const e = node.moduleReference.expression;
      if (ts.isStringLiteral(e)) out.push(e.text);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteralLike(node.arguments[0])) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) (split ? lazy : out).push(node.arguments[0].text);
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') out.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      out.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return split ? { static: out, lazy } : out;
}

/**
 * The graph: file (relative to src/) → the src files it imports statically (`local`) and lazily
 * (`lazy`, import() calls), plus its external modules.
 */
export function buildGraph(srcDir) {
  const files = sourceFiles(srcDir).sort();
  const graph = new Map();
  const resolve = (abs, spec) => {
    let target = path.resolve(path.dirname(abs), spec).replace(/\.js$/, '.ts');
    if (!target.endsWith('.ts')) target += fs.existsSync(`${target}.ts`) ? '.ts' : '/index.ts';
    return path.relative(srcDir, target).split(path.sep).join('/');
  };
  for (const abs of files) {
    const rel = path.relative(srcDir, abs).split(path.sep).join('/');
    const specs = specifiers(fs.readFileSync(abs, 'utf8'), abs, true);
    const local = specs.static.filter((s) => s.startsWith('.')).map((s) => resolve(abs, s));
    const lazy = specs.lazy.filter((s) => s.startsWith('.')).map((s) => resolve(abs, s));
    const external = [...specs.static, ...specs.lazy].filter((s) => !s.startsWith('.'));
    graph.set(rel, { local: [...new Set(local)], lazy: [...new Set(lazy)], external: [...new Set(external)] });
  }
  return graph;
}

/** Every import against the layer order, every unplaced file, every socket import outside transport/lab. */
export function violations(graph) {
  const out = [];
  for (const [file, { local, lazy = [], external }] of graph) {
    const from = placeOf(file);
    if (!from) {
      out.push(`${file}: not in any layer (add its folder to PLACES in scripts/import-graph.mjs)`);
      continue;
    }
    for (const dep of [...local, ...lazy]) {
      const to = placeOf(dep);
      if (!to) out.push(`${file} → ${dep}: target not in any layer`);
      else if (!allowed(from, to)) out.push(`${file} (${from}) → ${dep} (${to}): against the layer order`);
    }
    for (const ext of external) {
      if (SOCKET_MODULES.has(ext) && !SOCKET_PLACES.has(from)) out.push(`${file} imports ${ext}: sockets only in transport/ and lab/`);
    }
  }
  return out;
}

/**
 * The import cycles over static imports, each as a list of files (Tarjan's strongly connected
 * components of size > 1, and self-imports). A lazy import() is a deferred load, never part of a
 * module's initialisation, so it closes no cycle (the CLI's command table loads its commands so).
 */
export function cycles(graph) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const out = [];
  const strong = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v)?.local ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || graph.get(v).local.includes(v)) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  return out;
}

/**
 * The modules that may re-export another module's names: the package's entry points (package.json
 * "exports": index.ts, server/index.ts), the model's public type surface (model/index.ts, and
 * model/probes.ts, which names the classifier's first-bytes types as evidence), and the HPACK codec's
 * one import (wire/hpack/index.ts).
 */
export const BARRELS = new Set(['index.ts', 'server/index.ts', 'model/index.ts', 'model/probes.ts', 'wire/hpack/index.ts']);

/**
 * Every `export … from` outside BARRELS, as "file: export … from 'spec'": a shim that lets importers
 * name a module other than the one that defines what they use.
 */
export function reexportShims(srcDir) {
  const out = [];
  for (const abs of sourceFiles(srcDir).sort()) {
    const rel = path.relative(srcDir, abs).split(path.sep).join('/');
    if (BARRELS.has(rel)) continue;
    const sf = ts.createSourceFile(abs, fs.readFileSync(abs, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    for (const node of sf.statements) {
      if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) out.push(`${rel}: ${node.getText(sf).replace(/\s+/g, ' ')}`);
    }
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');
  const graph = buildGraph(src);
  const bad = violations(graph);
  const loops = cycles(graph);
  let edges = 0;
  let lazyEdges = 0;
  for (const { local, lazy } of graph.values()) {
    edges += local.length;
    lazyEdges += lazy.length;
  }
  console.log(`import graph: ${graph.size} modules, ${edges} static imports, ${lazyEdges} lazy import() calls`);
  console.log(`layer order (wire → model → transport → probes → diagnosis → report → apps → cli; lab, server outside): ${bad.length} violation(s)`);
  for (const b of bad) console.log(`  ${b}`);
  console.log(`cycles (static imports): ${loops.length}`);
  for (const c of loops) console.log(`  ${c.length} modules: ${c.join(', ')}`);
  const shims = reexportShims(src);
  console.log(`re-exports outside the entry points and barrels (${[...BARRELS].join(', ')}): ${shims.length}`);
  for (const r of shims) console.log(`  ${r}`);
  process.exitCode = bad.length || loops.length || shims.length ? 1 : 0;
}

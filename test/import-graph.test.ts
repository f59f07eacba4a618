/**
 * The architecture of CONTRIBUTING.md, checked on the real import graph of src/ (type imports
 * included): wire → model → transport → probes → diagnosis → report → apps → cli, lab/ and server/
 * outside; sockets only in transport/ and lab/; no import cycle. `node scripts/import-graph.mjs`
 * prints the same.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { allowed, buildGraph, cycles, placeOf, reexportShims, specifiers, violations } from '../scripts/import-graph.mjs';
import { sourceFiles } from '../scripts/lib/source-files.mjs';

const SRC = path.resolve(import.meta.dirname, '..', 'src');
const graph = buildGraph(SRC);

describe('import graph of src/', () => {
  it('reads the whole tree (not an empty graph)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('diagnose.ts')?.local).toContain('diagnosis/index.ts');
    expect(graph.get('model/report.ts')?.local).toContain('model/codes.ts');
  });

  it('has no import against the layer order and no socket import outside transport/ and lab/', () => {
    expect(violations(graph)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('re-exports only in the entry points and barrels: importers name the owning module', () => {
    expect(reexportShims(SRC)).toEqual([]);
  });
});

/** The string literals of a module (comments and names left out). */
function literals(file: string): string[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteralLike(n)) out.push(n.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}
const modules = sourceFiles(SRC).map((abs) => ({ abs, rel: path.relative(SRC, abs).split(path.sep).join('/') }));
const outsideLab = modules.filter((m) => !m.rel.startsWith('lab/'));

describe('one of each (issue 10)', () => {
  it('one HTTP/2 client loop: outside wire/ and lab/, only probes/h2-client.ts reads HTTP/2 frames (wire/http2/frame.ts)', () => {
    const readers = [...graph].filter(([f, n]) => !f.startsWith('wire/') && !f.startsWith('lab/') && [...n.local, ...(n.lazy ?? [])].includes('wire/http2/frame.ts')).map(([f]) => f);
    expect(readers).toEqual(['probes/h2-client.ts']);
  });

  it("one first-bytes classifier: only wire/sniff.ts looks for a status line's 'HTTP/' or an 'SSH-' banner", () => {
    const guessers = outsideLab.filter((m) => literals(m.abs).some((l) => l === 'HTTP/' || l === 'SSH-')).map((m) => m.rel);
    expect(guessers).toEqual(['wire/sniff.ts']);
  });

  it("one TLS version table: only wire/tls/registry.ts spells a version's names ('TLSv1.1', 'TLS 1.1')", () => {
    const tables = outsideLab.filter((m) => literals(m.abs).some((l) => l === 'TLSv1.1' || l === 'TLS 1.1')).map((m) => m.rel);
    expect(tables).toEqual(['wire/tls/registry.ts']);
  });
});

describe('the checker itself', () => {
  it('sees every kind of import: type-only, re-export, dynamic, import type()', () => {
    const text = [
      "import type { A } from './a.js';",
      "import { type B } from './b.js';",
      "export * from './c.js';",
      "export type { D } from './d.js';",
      "const e = await import('./e.js');",
      "let f: import('./f.js').F;",
      "import net from 'node:net';",
    ].join('\n');
    expect(specifiers(text)).toEqual(['./a.js', './b.js', './c.js', './d.js', './e.js', './f.js', 'node:net']);
    expect(specifiers(text, 'x.ts', true)).toEqual({ static: ['./a.js', './b.js', './c.js', './d.js', './f.js', 'node:net'], lazy: ['./e.js'] });
  });

  it('finds a re-export shim, and leaves the entry points and local exports alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h2doctor-shims-'));
    try {
      fs.mkdirSync(path.join(dir, 'watch'));
      fs.writeFileSync(path.join(dir, 'index.ts'), "export { diagnose } from './diagnose.js';\n");
      fs.writeFileSync(path.join(dir, 'watch', 'record.ts'), "export type { WatchRun } from '../model/watch.js';\nconst a = 1;\nexport { a };\n");
      expect(reexportShims(dir)).toEqual(["watch/record.ts: export type { WatchRun } from '../model/watch.js';"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('places files and orders layers', () => {
    expect(placeOf('wire/sniff.ts')).toBe('wire');
    expect(placeOf('model/target.ts')).toBe('model');
    expect(placeOf('diagnose.ts')).toBe('apps');
    expect(placeOf('cli/main.ts')).toBe('cli');
    expect(placeOf('nowhere/x.ts')).toBeUndefined();
    expect(allowed('diagnosis', 'model')).toBe(true);
    expect(allowed('wire', 'model')).toBe(false);
    expect(allowed('model', 'cli')).toBe(false);
    expect(allowed('probes', 'apps')).toBe(false);
    expect(allowed('lab', 'diagnosis')).toBe(true);
    expect(allowed('diagnosis', 'lab')).toBe(false);
    expect(allowed('cli', 'lab')).toBe(true);
  });

  it('reports an upward import, a socket import and a cycle in a made-up graph', () => {
    const g = new Map([
      ['wire/x.ts', { local: [], lazy: ['model/y.ts'], external: [] }],
      ['wire/w.ts', { local: ['wire/x.ts'], external: [] }],
      ['wire/x2.ts', { local: ['model/y.ts'], external: [] }],
      ['model/y.ts', { local: ['wire/x.ts'], external: [] }],
      ['probes/z.ts', { local: [], external: ['node:net'] }],
      ['transport/t.ts', { local: [], external: ['node:tls'] }],
    ]);
    const v = violations(g);
    expect(v).toHaveLength(3);
    expect(v[0]).toMatch(/wire\/x\.ts \(wire\) → model\/y\.ts \(model\)/);
    expect(v[1]).toMatch(/wire\/x2\.ts \(wire\) → model\/y\.ts \(model\)/);
    expect(v[2]).toMatch(/probes\/z\.ts imports node:net/);
    // model/y → wire/x is static, wire/x → model/y lazy: no cycle; wire/x2 ↔ model/y would be one.
    expect(cycles(g)).toEqual([]);
    g.set('model/y.ts', { local: ['wire/x2.ts'], external: [] });
    expect(cycles(g)).toEqual([['model/y.ts', 'wire/x2.ts']]);
  });
});

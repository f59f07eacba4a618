/**
 * CONTRIBUTING.md's worked example of adding a finding code names real files and real functions:
 * a moved or renamed piece fails here, not in a contributor's first hour.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import * as raw from './raw.js';
import * as evidence from './evidence.js';
import * as tlsCommon from './rules/tls/common.js';
import * as bisection from './rules/tls/bisection.js';
import * as tlsRules from './rules/tls/index.js';
import * as printed from './knowledge/printed.js';
import * as rules from './rules/index.js';
import * as registry from './registry.js';

const ROOT = path.join(__dirname, '../..');
const text = fs.readFileSync(path.join(ROOT, 'CONTRIBUTING.md'), 'utf8');
/** The example's own new file, which does not exist until someone follows the example. */
const HYPOTHETICAL = new Set(['src/diagnosis/rules/preface-426.ts']);

function exists(p: string): boolean {
  if (p.includes('<')) return fs.existsSync(path.join(ROOT, p.slice(0, p.indexOf('<'))));
  if (!p.includes('*')) return fs.existsSync(path.join(ROOT, p));
  // A glob: its folder exists and holds a file that fits.
  const dir = path.dirname(p.slice(0, p.indexOf('*')) + 'x');
  const re = new RegExp(`^${path.basename(p).replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
  return fs.existsSync(path.join(ROOT, dir)) && fs.readdirSync(path.join(ROOT, dir)).some((f) => re.test(f));
}

describe('CONTRIBUTING.md', () => {
  test('every file and folder it names exists', () => {
    const named = [...text.matchAll(/`((?:src|test|docs|corpus|scripts)\/[^`\s]*|rules\/[^`\s]*)`/g)].map((m) => (m[1]!.startsWith('rules/') ? `src/diagnosis/${m[1]}` : m[1]!));
    expect(named.length).toBeGreaterThan(40);
    expect(named.filter((p) => !HYPOTHETICAL.has(p) && !exists(p))).toEqual([]);
  });

  test("the worked example's functions are the real ones", () => {
    expect(typeof raw.addressRule).toBe('function');
    expect(typeof evidence.probe).toBe('function');
    expect(typeof evidence.evidenceItem).toBe('function');
    expect(typeof tlsCommon.tlsRule).toBe('function');
    expect(typeof bisection.proven).toBe('function');
    expect(Array.isArray(tlsRules.TLS_RULES)).toBe(true);
    expect(typeof printed.clientsPrint).toBe('function');
    expect(rules.RULES.length).toBeGreaterThan(0);
    expect(registry.PROOF['preface-http1-response']).toBeDefined();
    for (const name of ['addressRule', 'probe(ev,', 'evidenceItem(', 'tlsRule(', 'proven(c', 'TLS_RULES', 'clientsPrint(', 'PROOF', 'RULES']) expect(text).toContain(name);
  });

  test('the registry says a missing piece in the words the example quotes', () => {
    const quoted = text.match(/`preface-upgrade-required: (no knowledge \([^`]*\))`/)?.[1];
    expect(quoted).toBeDefined();
    expect(fs.readFileSync(path.join(ROOT, 'src/diagnosis/registry.ts'), 'utf8')).toContain(`\${code}: ${quoted}`);
  });

  test("the worked example's rule compiles against the real helpers (with a code that exists)", () => {
    const start = text.indexOf('export const preface426Rule');
    expect(start).toBeGreaterThan(0);
    const snippet = text.slice(start, text.indexOf('```', start)).replace(/^ {3}/gm, '');
    // The example's code is new: until step 1 adds it, an existing code stands in for it.
    const source = `import { addressRule } from './raw.js';\nimport { evidenceItem, probe } from './evidence.js';\n\n${snippet.replaceAll('preface-upgrade-required', 'preface-http1-response')}`;
    const file = path.join(__dirname, 'contributing-example.ts');
    const cfg = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const host = ts.createCompilerHost(cfg.options);
    const read = host.readFile.bind(host);
    host.readFile = (f) => (path.resolve(f) === file ? source : read(f));
    const exists = host.fileExists.bind(host);
    host.fileExists = (f) => path.resolve(f) === file || exists(f);
    const program = ts.createProgram([file], { ...cfg.options, noEmit: true }, host);
    const errors = ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(errors).toEqual([]);
  }, 60_000);
});

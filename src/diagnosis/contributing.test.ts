/**
 * CONTRIBUTING.md's worked example of adding a finding code names real files and real functions:
 * a moved or renamed piece fails here, not in a contributor's first hour.
 */
import fs from 'node:fs';
import path from 'node:path';
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
});

/**
 * The code registry is complete: every code of the contract has a rule that declares it, its
 * knowledge, a lab scenario that expects it and real-server tests (or a stated reason), and the
 * registry agrees with the lab and test/ both ways. A failure names the missing piece.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES, type Code } from '../model/codes.js';
import { ALL_SCENARIOS } from '../lab/scenarios.js';
import { REGISTRY, missingPieces } from './registry.js';
import { REPORT_RULES, RULES } from './rules/index.js';
import { varsFor } from './index.js';
import { parseTarget } from '../model/target.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const ALL = Object.keys(CODES) as Code[];

/**
 * Codes whose pieces another open issue is building right now. Each must still miss something
 * (the test fails when one is complete: take it off this list then).
 */
const IN_PROGRESS = new Set<Code>([
  'h2-connection-specific-header',
]);

/** Tests that run real server software (test/real-*, the nginx / tinyproxy / WebSocket ones). */
const REAL_TESTS = readdirSync(path.join(ROOT, 'test'))
  .filter((f) => /^(real-|nginx-|proxy-tinyproxy|upgrade-ws-|clients-real)/.test(f) && f.endsWith('.test.ts'))
  .map((f) => `test/${f}`);

describe('code registry', () => {
  it('has an entry for every code of the contract, and nothing else', () => {
    expect(Object.keys(REGISTRY).sort()).toEqual([...ALL].sort());
  });

  it('names nothing missing for a code that is not in progress', () => {
    const missing = ALL.filter((c) => !IN_PROGRESS.has(c)).flatMap(missingPieces);
    expect(missing).toEqual([]);
  });

  it('keeps the in-progress list honest: each of its codes still misses a piece', () => {
    const done = [...IN_PROGRESS].filter((c) => missingPieces(c).length === 0);
    expect(done, 'complete now: take these off IN_PROGRESS in registry.test.ts').toEqual([]);
  });

  it('lists exactly the lab scenarios that expect each code', () => {
    const wrong: string[] = [];
    for (const code of ALL) {
      const lab = REGISTRY[code].lab;
      const expecting = ALL_SCENARIOS.filter((s) => s.expect.includes(code)).map((s) => s.id);
      if (typeof lab === 'string') {
        if (expecting.length) wrong.push(`${code}: the registry gives a reason, but lab scenarios ${expecting.join(', ')} expect it`);
        continue;
      }
      for (const id of lab) if (!expecting.includes(id)) wrong.push(`${code}: lab scenario ${id} does not exist or does not expect it`);
      for (const id of expecting) if (!lab.includes(id)) wrong.push(`${code}: lab scenario ${id} expects it but the registry does not list it`);
    }
    expect(wrong).toEqual([]);
  });

  it('lists exactly the real-server tests that assert each code', () => {
    const wrong: string[] = [];
    expect(REAL_TESTS.length).toBeGreaterThan(5);
    const text = new Map(REAL_TESTS.map((f) => [f, readFileSync(path.join(ROOT, f), 'utf8')]));
    for (const code of ALL) {
      const real = REGISTRY[code].realTests;
      const asserting = REAL_TESTS.filter((f) => text.get(f)!.includes(`'${code}'`));
      if (typeof real === 'string') {
        if (real.trim().length < 10) wrong.push(`${code}: the reason for no real-server test is not a sentence`);
        if (asserting.length && !real.startsWith('pending')) wrong.push(`${code}: the registry gives a reason, but ${asserting.join(', ')} assert it`);
        continue;
      }
      for (const f of real) if (!existsSync(path.join(ROOT, f)) || !text.get(f)?.includes(`'${code}'`)) wrong.push(`${code}: ${f} does not exist or does not mention it`);
      for (const f of asserting) if (!real.includes(f)) wrong.push(`${code}: ${f} asserts it but the registry does not list it`);
    }
    expect(wrong).toEqual([]);
  });

  it('has rules that declare only codes of the contract, under unique names', () => {
    const all = [...RULES, ...REPORT_RULES];
    expect(new Set(all.map((r) => r.ruleName)).size).toBe(all.length);
    for (const r of all) for (const c of r.codes) expect(CODES[c], `${r.ruleName} declares ${c}`).toBeDefined();
  });

  it('has full knowledge for every stated code: a title, words, fixes and a reproduce command', () => {
    const vars = varsFor(parseTarget('https://example.test/'), undefined, 'detail');
    const thin: string[] = [];
    for (const code of ALL) {
      const e = REGISTRY[code];
      if (!e.knowledgeStated) continue;
      if (!e.knowledge.title(vars).trim()) thin.push(`${code}: empty title`);
      if (!e.knowledge.explanation(vars).trim()) thin.push(`${code}: empty explanation`);
      if (e.knowledge.fixes(vars).length === 0) thin.push(`${code}: no fix`);
    }
    expect(thin).toEqual([]);
  });
});

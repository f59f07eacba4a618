import { describe, expect, test } from 'vitest';
import { CODES, FAMILIES } from '../model/codes.js';
import { CATALOGUE, SOURCE_FAMILIES } from './catalogue/index.js';
import { explain } from './index.js';

const rows = CATALOGUE.flatMap((e) => e.samples.map((s) => [e.id, s] as const));

describe('catalogue', () => {
  test('has at least 100 entries with unique ids', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CATALOGUE.map((e) => e.id)).size).toBe(CATALOGUE.length);
  });

  test.each(CATALOGUE.map((e) => [e.id, e] as const))('%s is complete', (_id, e) => {
    expect(e.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(e.patterns.length).toBeGreaterThan(0);
    expect(e.clients.length).toBeGreaterThan(0);
    expect(FAMILIES).toContain(e.family);
    expect(e.meaning.length).toBeGreaterThan(10);
    expect(e.causes.length).toBeGreaterThan(0);
    expect(e.tellApart.length).toBeGreaterThan(10);
    expect(e.source.length).toBeGreaterThan(5);
    expect(e.samples.length).toBeGreaterThan(0);
    expect(new Set(e.causes.map((c) => c.code)).size).toBe(e.causes.length);
  });

  test('every cause code exists in src/model/codes.ts', () => {
    for (const e of CATALOGUE) for (const c of e.causes) expect(Object.keys(CODES), `${e.id} names ${c.code}`).toContain(c.code);
  });

  test('patterns are not global or sticky (exec must not keep state)', () => {
    for (const e of CATALOGUE) for (const p of e.patterns) expect(p.global || p.sticky, `${e.id} ${p}`).toBe(false);
  });

  test('gaps inside a pattern are bounded (a long pasted line with a repeated prefix must not backtrack quadratically)', () => {
    for (const e of CATALOGUE) for (const p of e.patterns) expect(p.source, e.id).not.toMatch(/\[\^\\n\]\*|\.\*|\.\+|:\\S\+/);
  });

  test('every source family is non-empty', () => {
    for (const [name, entries] of Object.entries(SOURCE_FAMILIES)) expect(entries.length, name).toBeGreaterThan(0);
  });
});

describe('every sample maps to its entry as the best match', () => {
  test.each(rows)('%s ← %s', (id, sample) => {
    const r = explain(sample);
    expect(r.matches[0]?.id).toBe(id);
    expect(r.matches[0]!.confidence).toBeGreaterThan(0);
    expect(r.matches[0]!.confidence).toBeLessThanOrEqual(1);
  });
});

/**
 * `explain` against what real clients print: every record of corpus/clients.json (recorded by
 * corpus/record.sh from real clients against failing servers on loopback; the expected codes come
 * from each scenario's definition) must get its right code among the top three causes, and no line
 * may get an empty answer. Prints the figures per client and per failure family.
 *
 *   npx vitest run src/explain/corpus.test.ts
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CODES, type Code } from '../model/codes.js';
import { explain } from './index.js';

interface CorpusRecord {
  scenario: string;
  server: string;
  client: string;
  clientVersion: string;
  mode: string;
  expect: Code[];
  text: string;
}
interface Corpus {
  schemaVersion: number;
  recorded: string;
  clients: Record<string, string>;
  records: CorpusRecord[];
}

const corpus = JSON.parse(readFileSync(new URL('../../corpus/clients.json', import.meta.url), 'utf8')) as Corpus;

/** Masks what changes between recordings (ports, times, pids), to count distinct lines. */
export function normalized(text: string): string {
  return text
    .replace(/^\[\d+:\d+:\d+\/[\d.]+:/gm, '[')
    .replace(/:\d{2,5}\b/g, ':PORT')
    .replace(/\d{4}-\d\d-\d\d[ T][\d:.]+(?:\+\d\d:\d\d|Z)?/g, 'TIME')
    .replace(/\b[0-9A-F]{12,16}:error/g, 'X:error')
    .replace(/E\d{4} [\d:.]+\s+\d+/g, 'ELOG')
    .replace(/\b\d{5,}\b/g, 'N');
}

const TOP = 3;
/**
 * The share of lines whose right code must be in the top three: issue 13's 0.95, reached (a ratchet:
 * raise it, never lower it).
 */
const MIN_TOP3 = 0.95;
const results = corpus.records.map((r) => {
  const x = explain(r.text);
  const top = x.causes.slice(0, TOP).map((c) => c.code);
  return { r, top, hit: r.expect.some((c) => top.includes(c)), empty: x.causes.length === 0 || (x.matches.length === 0 && x.recognised.length === 0) };
});

function table(key: (r: CorpusRecord) => string): string {
  const groups = new Map<string, { n: number; hit: number }>();
  for (const x of results) {
    const k = key(x.r);
    const g = groups.get(k) ?? { n: 0, hit: 0 };
    g.n++;
    if (x.hit) g.hit++;
    groups.set(k, g);
  }
  return [...groups.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([k, g]) => `  ${k.padEnd(22)} ${String(g.hit).padStart(4)}/${String(g.n).padEnd(4)} ${((100 * g.hit) / g.n).toFixed(1).padStart(5)}%`)
    .join('\n');
}

describe('explain on the recorded real-client corpus', () => {
  test('the corpus is a real recording: schemaVersion, date, ≥10 client stacks, ≥500 distinct lines, every expected code exists', () => {
    expect(corpus.schemaVersion).toBe(1);
    expect(corpus.recorded).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(new Set(corpus.records.map((r) => r.client)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(corpus.records.map((r) => normalized(r.text))).size).toBeGreaterThanOrEqual(500);
    for (const r of corpus.records) {
      expect(r.expect.length, r.text).toBeGreaterThan(0);
      for (const c of r.expect) expect(Object.keys(CODES), `${r.scenario}: ${c}`).toContain(c);
      expect(corpus.clients[r.client], r.client).toBeTruthy();
    }
  });

  test('no line gets an empty answer', () => {
    expect(results.filter((x) => x.empty).map((x) => x.r.text)).toEqual([]);
  });

  test(`the right code is among the top ${TOP} for at least ${MIN_TOP3 * 100}% of lines (figures per client and per family)`, () => {
    const hits = results.filter((x) => x.hit).length;
    const distinct = new Set(corpus.records.map((r) => normalized(r.text))).size;
    const summary = [
      `explain on the real-client corpus (recorded ${corpus.recorded}): ${hits}/${results.length} = ${((100 * hits) / results.length).toFixed(1)}% right code in the top ${TOP}; ${distinct} distinct lines, ${new Set(corpus.records.map((r) => r.client)).size} client stacks`,
      'per client:',
      table((r) => r.client),
      'per family (of the expected code):',
      table((r) => CODES[r.expect[0]!].family),
    ].join('\n');
    console.log(summary);
    const misses = results.filter((x) => !x.hit);
    if (misses.length) console.log(`misses (${misses.length}):\n` + misses.slice(0, Number(process.env.CORPUS_MISSES ?? 40)).map((x) => `  [${x.r.scenario} · ${x.r.client} · ${x.r.mode}] want ${x.r.expect.join('|')} got ${x.top.join(', ')}\n    ${x.r.text.split('\n').join('\n    ')}`).join('\n'));
    expect(hits / results.length).toBeGreaterThanOrEqual(MIN_TOP3);
  });
});

/**
 * Where the catalogue's samples come from: every sample is a line real clients printed in the
 * recorded corpus (corpus/clients.json, host names and ports aside), or its entry cites the public
 * source the string is taken from (`owner/repo path`, `owner/repo#issue`, an RFC, a URL, vendor
 * docs). And an entry whose message the corpus holds carries at least one recorded sample.
 *
 *   npx vitest run src/explain/catalogue-sources.test.ts
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CATALOGUE } from './catalogue/index.js';
import { matchText } from './match.js';

const corpus = JSON.parse(readFileSync(new URL('../../corpus/clients.json', import.meta.url), 'utf8')) as { records: Array<{ text: string }> };

/** Host names, ports, OpenSSL thread ids, logging prefixes and blanks masked: what differs between two runs of a client. */
function norm(t: string): string {
  return t
    .replace(/^\[\d+:\d+:\d+\/[\d.]+:[A-Z]+:[^\]]*\] /, '')
    .replace(/^[EWI]\d{4} [\d:.]+\s+\d+ [^\]]*\]\s+/, '')
    .replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /, '')
    .replace(/\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.h2doctor\.invalid\b/g, 'H')
    .replace(/\b(localhost|127\.0\.0\.1)\b/g, 'H')
    .replace(/:\d{2,5}\b/g, ':P')
    .replace(/\b[0-9A-F]{12,16}:error/g, 'X:error')
    .replace(/\s+/g, ' ')
    .trim();
}
const lines = new Set<string>();
for (const r of corpus.records) for (const l of r.text.split('\n')) lines.add(norm(l));
const all = [...lines];
const recorded = (sample: string) => {
  const n = norm(sample);
  return lines.has(n) || all.some((l) => l.includes(n));
};
const CITATION = /^(?:[\w.-]+\/[\w.-]+(?:#\d+|\s\S)|https?:\/\/\S|RFC \d+|[A-Z][\w ]+ docs\b|[\w-]+\.(?:dev|com|org|io|net)\/\S)/;

describe('catalogue samples come from the corpus or cite a public source', () => {
  test('every sample is recorded, or its entry cites where the string comes from', () => {
    const bad: string[] = [];
    let rec = 0;
    for (const e of CATALOGUE) {
      for (const s of e.samples) {
        if (recorded(s)) rec++;
        else if (!CITATION.test(e.source)) bad.push(`${e.id}: "${s.slice(0, 80)}" is not recorded and the entry cites no public source (${e.source})`);
      }
    }
    const withRecorded = CATALOGUE.filter((e) => e.samples.some(recorded)).length;
    console.log(`catalogue: ${CATALOGUE.length} entries, ${withRecorded} with a recorded sample; ${rec} of ${CATALOGUE.flatMap((e) => e.samples).length} samples recorded, the others cited`);
    expect(bad).toEqual([]);
  });

  test('an entry whose message the corpus holds (as its best match) has a recorded sample', () => {
    const missing: string[] = [];
    for (const e of CATALOGUE) {
      if (e.samples.some(recorded)) continue;
      const line = corpus.records.flatMap((r) => r.text.split('\n')).find((l) => e.patterns.some((p) => p.test(l)) && matchText(l)[0]?.entry.id === e.id);
      if (line) missing.push(`${e.id}: the corpus has "${line.slice(0, 100)}"`);
    }
    expect(missing).toEqual([]);
  });
});

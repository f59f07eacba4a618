/**
 * docs/explain.schema.json carries every field `explain --json` emits: the schema closes every
 * object (additionalProperties: false), and the JSON of every line of the real-client corpus, of
 * decoded evidence of each kind, of unknown text and of a confirmed run validates in ajv's strict
 * mode. A field added to the output without the schema fails here.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { confirmCandidates, explain } from './index.js';
import { explainJson } from '../report/explain.js';

const schema = JSON.parse(readFileSync(new URL('../../docs/explain.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const corpus = JSON.parse(readFileSync(new URL('../../corpus/clients.json', import.meta.url), 'utf8')) as { records: Array<{ text: string }> };
const validate = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true }).compile(schema);
const doc = (text: string): Record<string, unknown> => ({ schemaVersion: 1, ...explainJson(explain(text)) });
const errors = (d: unknown) => (validate(d) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));

describe('docs/explain.schema.json', () => {
  test('every object in it is closed, so an undocumented field cannot pass', () => {
    const open: string[] = [];
    const walk = (s: unknown, path: string) => {
      if (!s || typeof s !== 'object') return;
      const o = s as Record<string, unknown>;
      if (o.type === 'object' && o.additionalProperties !== false) open.push(path || '/');
      for (const [k, v] of Object.entries(o)) walk(v, `${path}/${k}`);
    };
    walk(schema, '');
    expect(open).toEqual([]);
  });

  test('the JSON of every corpus line validates', () => {
    const bad: string[] = [];
    for (const r of corpus.records) {
      const e = errors(doc(r.text));
      if (e.length) bad.push(`${r.text.slice(0, 80)}: ${e.join('; ')}`);
    }
    expect(bad).toEqual([]);
  });

  test('each kind of decoded evidence, unknown text, a long paste and a confirmed run validate', () => {
    const texts = [
      'First received frame was not SETTINGS. Hex dump for first 5 bytes: 485454502f',
      'Frame length: 4740180 exceeds maximum: 16384',
      '140737353868224:error:1408F10B:SSL routines:ssl3_get_record:wrong version number:s3_pkt.c:365:',
      'SSL alert number 40',
      'http2: server sent GOAWAY and closed the connection; LastStreamID=1, ErrCode=INADEQUATE_SECURITY, debug=""',
      'the quick brown fox',
      `${'INFO ok\n'.repeat(3000)}curl: (60) SSL certificate problem: certificate has expired`,
    ];
    const kinds = new Set<string>();
    for (const t of texts) {
      const d = doc(t);
      expect(errors(d), t.slice(0, 60)).toEqual([]);
      for (const e of d.evidence as Array<{ kind: string }>) kinds.add(e.kind);
    }
    expect([...kinds].sort()).toEqual(['bytes', 'frame-size', 'h2-error', 'openssl-error', 'tls-alert']);
    const confirmed: Record<string, unknown> = { schemaVersion: 1, ...explainJson(confirmCandidates(explain('curl: (60) SSL certificate problem: certificate has expired'), ['cert-expired', 'tls-legacy-version-enabled'], 'https://h.example/')) };
    expect(errors(confirmed)).toEqual([]);
    expect(confirmed.confirmation).toMatchObject({ confirmed: ['cert-expired'], none: false, otherFindings: ['tls-legacy-version-enabled'] });
  });
});

import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { CODES } from '../model/codes.js';
import { KNOWLEDGE } from './knowledge.js';

const docs = readFileSync(new URL('../../docs/codes.md', import.meta.url), 'utf8');
const contractUrl = new URL('../../../shared/diagnosis-codes.md', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('../../docs/report.schema.json', import.meta.url), 'utf8'));

function tableRows(md: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const m of md.matchAll(/^\| `([a-z0-9-]+)` \| (\w+) \|/gm)) rows.set(m[1]!, m[2]!);
  return rows;
}

describe('finding codes', () => {
  test('every code in the registry is documented in docs/codes.md with the same severity', () => {
    const rows = tableRows(docs);
    for (const [code, def] of Object.entries(CODES)) expect([code, rows.get(code)]).toEqual([code, def.severity]);
  });
  test('docs/codes.md lists no code the registry lacks', () => {
    for (const code of tableRows(docs).keys()) expect(Object.keys(CODES)).toContain(code);
  });
  test('the shared contract is mirrored exactly (no rename, no new meaning); missing, it fails under CI', (ctx) => {
    let contract: string;
    try {
      contract = readFileSync(contractUrl, 'utf8');
    } catch (e) {
      // A checkout without shared/ beside it skips, visibly; CI must have the contract.
      if (process.env.CI === 'true') throw new Error(`the shared contract ${contractUrl.pathname} is missing: ${(e as Error).message}`);
      return ctx.skip();
    }
    expect(tableRows(contract).size).toBeGreaterThan(40);
    const rows = tableRows(contract);
    for (const [code, sev] of rows) expect([code, CODES[code as keyof typeof CODES]?.severity]).toEqual([code, sev]);
  });
  test('the report schema enumerates exactly the registry', () => {
    expect([...schema.definitions.finding.properties.code.enum].sort()).toEqual(Object.keys(CODES).sort());
  });
  test('every knowledge entry belongs to a code', () => {
    for (const k of Object.keys(KNOWLEDGE)) expect(Object.keys(CODES)).toContain(k);
  });
});

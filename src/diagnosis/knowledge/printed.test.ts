/**
 * The "clients print" lines of every finding code are what real clients printed for that cause:
 * each line is a line of corpus/clients.json or clients-hostile.json (recorded by corpus/record.sh from the real program,
 * for a scenario whose expected code is that code), with the recording's host and port as {host}
 * and {port}, or it cites a public source. A finding puts its own host and port in their place.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CODES, type Code } from '../../model/codes.js';
import { buildFinding } from '../index.js';
import { knowledgeOf } from '../registry.js';
import { PRINTED, PRINTED_BY_SERVER, SILENT, clientsPrintFor, withHost } from './printed.js';
import { detectServer } from './server.js';
import { parseTarget } from '../../model/target.js';

interface CorpusRecord {
  scenario: string;
  client: string;
  expect: Code[];
  text: string;
}
const read = (file: string) => JSON.parse(readFileSync(new URL(`../../../corpus/${file}`, import.meta.url), 'utf8')) as { records: CorpusRecord[] };
// Both recordings: clients.json and clients-hostile.json (the hostile servers, corpus/record.sh --hostile).
const corpus = { records: [...read('clients.json').records, ...read('clients-hostile.json').records] };

/** A recorded line as quoted: host markers, no logging prefix, no leading blanks (as corpus/hosts.mjs does). */
function quoted(line: string): string {
  return line
    .replace(/\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.h2doctor\.invalid\b/g, '{host}')
    .replace(/\b(localhost|127\.0\.0\.1)(?=[:'"/ )\]>]|$)/gm, '{host}')
    .replace(/(\{host\}['"]?(?:, port=|:))\d{2,5}\b/g, '$1{port}')
    .replace(/port=\d{2,5}\b/g, 'port={port}')
    .replace(/(\{host\} port )\d{2,5}\b/g, '$1{port}')
    .replace(/^\[\d+:\d+:\d+\/[\d.]+:[A-Z]+:[^\]]*\] /, '')
    .replace(/^[EWI]\d{4} [\d:.]+\s+\d+ [^\]]*\]\s+/, '')
    .replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /, '')
    .replace(/^\s+/, '');
}

/** code → every recorded line for it, quoted. */
const recorded = new Map<Code, Set<string>>();
for (const r of corpus.records) {
  const set = recorded.get(r.expect[0]!) ?? new Set<string>();
  for (const l of r.text.split('\n')) set.add(quoted(l));
  recorded.set(r.expect[0]!, set);
}
// A citation: `owner/repo path…` or a URL.
const CITATION = /^(?:[\w.-]+\/[\w.-]+ \S|https?:\/\/\S)/;

describe('"clients print" lines come from the real-client corpus or cite a public source', () => {
  test('every line of every code is a recorded line for that code, or a cited one', () => {
    const bad: string[] = [];
    let rec = 0;
    let cited = 0;
    for (const code of Object.keys(CODES) as Code[]) {
      for (const p of PRINTED[code] ?? []) {
        if (p.source === 'recorded') {
          rec++;
          if (!recorded.get(code)?.has(p.line)) bad.push(`${code}: not recorded for this code: ${p.line}`);
        } else {
          cited++;
          if (!CITATION.test(p.source)) bad.push(`${code}: neither recorded nor cited: ${p.line} (${p.source})`);
        }
      }
    }
    expect(bad).toEqual([]);
    expect(rec).toBeGreaterThan(150);
    expect(cited).toBeGreaterThan(0);
  });

  test('the lines recorded against one server kind are recorded lines of that code too, and a finding on that server prints them', () => {
    const bad: string[] = [];
    let keys = 0;
    for (const [code, byKey] of Object.entries(PRINTED_BY_SERVER) as Array<[Code, Readonly<Record<string, readonly { line: string; source: string }[]>>]>) {
      for (const [key, lines] of Object.entries(byKey)) {
        keys++;
        const [kind, scheme] = key.split(' ') as [string, 'http' | 'https'];
        expect(['http', 'https']).toContain(scheme);
        for (const p of lines) if (p.source !== 'recorded' || !recorded.get(code)?.has(p.line)) bad.push(`${code} ${key}: not recorded for this code: ${p.line}`);
        expect(clientsPrintFor(code, kind, scheme)).toEqual(lines.map((p) => p.line));
      }
    }
    expect(bad).toEqual([]);
    expect(keys).toBeGreaterThan(0);
    // nghttpd over TLS closes on an HTTP/1.1 request: its clients print what that does, not the h2c-only lab's "HTTP/0.9".
    const target = parseTarget('https://example.test:8443/');
    const f = buildFinding('http1-not-supported', { code: 'http1-not-supported', evidence: [] }, target, [], [], undefined, { server: detectServer('nghttpd nghttp2/1.52.0')! });
    expect(f.clientsSee).toEqual(clientsPrintFor('http1-not-supported', 'nghttpd', 'https')!.map((l) => withHost(l, 'example.test', 8443)));
    expect(f.clientsSee.join('\n')).not.toMatch(/HTTP\/0\.9/);
    // No recording against that server over that scheme: the code's own lines.
    expect(clientsPrintFor('http1-not-supported', 'nghttpd', 'http')).toBeUndefined();
    expect(clientsPrintFor('http1-not-supported', undefined, 'https')).toBeUndefined();
  });

  test('the knowledge of every code prints exactly those lines: none written from memory, no placeholder', () => {
    for (const code of Object.keys(CODES) as Code[]) {
      const k = knowledgeOf(code);
      expect(k.clientsSee, code).toEqual((PRINTED[code] ?? []).map((p) => p.line));
      for (const l of k.clientsSee) expect(l, code).not.toMatch(/\bHOST\b|\bADDRESS\b|…/);
    }
  });

  test('every code a recording covers prints recorded lines, from at least two client families when recorded by several', () => {
    for (const [code, lines] of recorded) {
      const printed = (PRINTED[code] ?? []).filter((p) => p.source === 'recorded');
      expect(printed.length, code).toBeGreaterThan(0);
      const clients = new Set(corpus.records.filter((r) => r.expect[0] === code).map((r) => r.client));
      if (clients.size >= 4) expect(new Set(printed.map((p) => p.client)).size, code).toBeGreaterThanOrEqual(2);
      void lines;
    }
  });

  test('every code prints lines, or says why its clients print nothing of their own (never both)', () => {
    const bad: string[] = [];
    for (const code of Object.keys(CODES) as Code[]) {
      const n = (PRINTED[code] ?? []).length;
      if (n === 0 && !SILENT[code]) bad.push(`${code}: no line and no reason (record it: corpus/record.mjs LAB_TRUTH, or add it to SILENT in corpus/printed.mjs)`);
      if (n > 0 && SILENT[code]) bad.push(`${code}: lines and a reason for none`);
    }
    expect(bad).toEqual([]);
  });

  test("a finding prints its own host and port, never the recording's or a marker", () => {
    const f = buildFinding('cert-expired', { code: 'cert-expired' } as never, { url: 'https://api.example.test:8443/', host: 'api.example.test', port: 8443, scheme: 'https', tls: true, path: '/' } as never, [], []);
    expect(f.clientsSee.length).toBeGreaterThan(2);
    for (const l of f.clientsSee) expect(l).not.toMatch(/\{host\}|\{port\}|localhost|127\.0\.0\.1/);
    expect(f.clientsSee.some((l) => l.includes('api.example.test:8443'))).toBe(true);
    expect(withHost('Get "https://{host}:{port}/": x', 'h.test', 443)).toBe('Get "https://h.test:443/": x');
  });
});

import { describe, expect, test } from 'vitest';
import { parseTargetList, splitCsvRow } from './targets.js';

describe('scan target lists', () => {
  test('plain lines: URLs and host[:port], comments and blank lines skipped, duplicates once', () => {
    const t = parseTargetList('# fleet\nhttps://a.example/x\n\nb.example:8443   # staging\nhttp://c.example:8080\nhttps://a.example/x\n', 'list.txt');
    expect(t.map((x) => x.url)).toEqual(['https://a.example/x', 'https://b.example:8443/', 'http://c.example:8080/']);
    expect(t.map((x) => x.source)).toEqual(['list.txt:2', 'list.txt:4', 'list.txt:5']);
  });
  test('CSV with a header row: per-target sni, resolve (several), client and id; quoted cells', () => {
    const t = parseTargetList('url,sni,resolve,client,id\nhttps://a.example,,"a.example:443:127.0.0.1;a.example:443:127.0.0.2",grpc,first\n"https://b.example:444",b.internal,,,\n', 'f.csv');
    expect(t[0]).toMatchObject({ url: 'https://a.example/', resolve: ['a.example:443:127.0.0.1', 'a.example:443:127.0.0.2'], client: 'grpc', key: 'first' });
    expect(t[1]).toMatchObject({ url: 'https://b.example:444/', sni: 'b.internal' });
    expect(t[1]!.key).toBe('https://b.example:444/ sni=b.internal');
  });
  test('JSON array and NDJSON objects, strings allowed in an array', () => {
    expect(parseTargetList('["https://a.example", {"url": "b.example", "resolve": "b.example:443:127.0.0.1"}]').map((t) => t.key)).toEqual([
      'https://a.example/',
      'https://b.example/ resolve=b.example:443:127.0.0.1',
    ]);
    expect(parseTargetList('{"url":"https://a.example","sni":""}\n{"url":"http://b.example:81"}\n').map((t) => t.sni)).toEqual(['', undefined]);
  });
  test('a bad target names its line; nothing is scanned', () => {
    expect(() => parseTargetList('https://ok.example\nftp://x.example\n', 'l.txt')).toThrow(/^l\.txt:2: unsupported scheme "ftp:"/);
    expect(() => parseTargetList('https://ok.example:99999\n', 'l.txt')).toThrow(/^l\.txt:1: invalid port/);
    expect(() => parseTargetList('url,color\nhttps://a\n', 'f.csv')).toThrow(/unknown column "color"/);
    expect(() => parseTargetList('{"url": 5}\n', 'f.ndjson')).toThrow(/f\.ndjson:1: "url" is a string/);
    expect(() => parseTargetList('{"url": "https://a", "resolve": "nonsense"}\n', 'f.ndjson')).toThrow(/^f\.ndjson:1: /);
    expect(() => parseTargetList('# only a comment\n', 'l.txt')).toThrow(/no targets/);
    expect(() => parseTargetList('[1,', 'l.json')).toThrow(/not valid JSON/);
  });
  test('CSV cells: quotes, doubled quotes, commas inside quotes', () => {
    expect(splitCsvRow('a,"b,c","d""e",')).toEqual(['a', 'b,c', 'd"e', '']);
  });
});

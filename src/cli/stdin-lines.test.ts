import { describe, expect, test } from 'vitest';
import { lineSplitter, readLines } from './stdin-lines.js';

async function* chunks(parts: Array<string | Buffer>): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.isBuffer(p) ? p : Buffer.from(p);
}
const refuse = (m: string) => new Error(m);

describe('lines of standard input', () => {
  test('lines across chunks, CRLF, the last line without LF, each with its full length', async () => {
    const seen: Array<[string, number]> = [];
    await readLines(chunks(['GET / HT', 'TP/1.1\r\nHost: a\r', '\n\nlast']), (l, n) => seen.push([l, n]), { maxLine: 100, maxBytes: 1 << 20, refuse });
    expect(seen).toEqual([['GET / HTTP/1.1', 15], ['Host: a', 8], ['', 0], ['last', 4]]);
  });

  test('a long line is cut at maxLine characters and keeps its full length; UTF-8 split between chunks is one character', async () => {
    const seen: Array<[string, number]> = [];
    const e = Buffer.from('é');
    await readLines(chunks([Buffer.from('ab'), e.subarray(0, 1), Buffer.concat([e.subarray(1), Buffer.from('cdefgh\nxy')])]), (l, n) => seen.push([l, n]), { maxLine: 4, maxBytes: 1 << 20, refuse });
    expect(seen).toEqual([['abéc', 9], ['xy', 2]]);
  });

  test('the same lines with and without a cap, whatever the chunking', async () => {
    const text = Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(i % 37)}${i % 3 ? '\r' : ''}`).join('\n');
    const cut = (n: number) => Array.from({ length: Math.ceil(text.length / n) }, (_, i) => text.slice(i * n, (i + 1) * n));
    const run = async (parts: string[], maxBytes: number) => {
      const out: string[] = [];
      await readLines(chunks(parts), (l, n) => out.push(`${l}|${n}`), { maxLine: 20, maxBytes, refuse });
      return out;
    };
    const ref = await run([text], Infinity);
    expect(ref).toHaveLength(500);
    for (const n of [1, 7, 64, 4096]) expect(await run(cut(n), 1 << 20)).toEqual(ref);
    expect(await run(cut(13), Infinity)).toEqual(ref);
  });

  test('an input over the cap is refused before any line is handed on (no per-line work on what came before)', async () => {
    let lines = 0;
    let stopped = false;
    const big = Buffer.from('2026/12/03 [error] upstream prematurely closed connection\n'.repeat(2000));
    const parts = Array.from({ length: 20 }, () => big);
    await expect(readLines(chunks(parts), () => lines++, { maxLine: 100, maxBytes: 10 * big.length, refuse, stop: () => (stopped = true) })).rejects.toThrow(/over .* MiB; refused/);
    expect(lines).toBe(0);
    expect(stopped).toBe(true);
  });

  test('without a cap the lines are handed on as they come', async () => {
    const seen: string[] = [];
    async function* slow(): AsyncGenerator<Buffer> {
      yield Buffer.from('one\ntw');
      expect(seen).toEqual(['one']);
      yield Buffer.from('o\n');
    }
    await readLines(slow(), (l) => seen.push(l), { maxLine: 10, maxBytes: Infinity, refuse });
    expect(seen).toEqual(['one', 'two']);
  });

  test('the splitter alone', () => {
    const out: string[] = [];
    const s = lineSplitter((l) => out.push(l), 80);
    s.push(Buffer.from('a\r\nb'));
    s.end();
    expect(out).toEqual(['a', 'b']);
  });
});

import { describe, expect, test } from 'vitest';
import { summarize, renderSummary } from './summary.js';
import { parseHistory } from './record.js';
import type { WatchRun } from '../model/watch.js';
import { parseDuration } from './run.js';

const run = (seq: number, bad: boolean, resolvers = ['system']): WatchRun => ({
  schemaVersion: 1,
  type: 'run',
  url: 'https://x.test/',
  seq,
  at: `2026-01-01T00:00:0${seq}.000Z`,
  durationMs: 10,
  verdict: bad ? 'fail' : 'ok',
  codes: bad ? ['alpn-no-h2', 'dns-addresses-disagree'] : [],
  addresses: [
    { address: '192.0.2.1', resolvers, verdict: 'ok', codes: [], protocol: 'h2' },
    { address: '192.0.2.2', resolvers, verdict: bad ? 'fail' : 'ok', codes: bad ? ['alpn-no-h2'] : [], protocol: bad ? 'http/1.1' : 'h2' },
  ],
});

describe('watch summary', () => {
  test('a code that comes and goes: address, resolver, times and counts', () => {
    const s = summarize([run(1, false), run(2, true), run(3, false), run(4, true)]);
    expect(s.runs).toBe(4);
    expect(s.worst).toBe('fail');
    expect(s.verdicts).toEqual({ ok: 2, warn: 0, fail: 2 });
    const f = s.flaps.find((x) => x.code === 'alpn-no-h2')!;
    expect(f).toMatchObject({ address: '192.0.2.2', resolver: 'system', seen: 2, of: 4, first: '2026-01-01T00:00:02.000Z', last: '2026-01-01T00:00:04.000Z' });
    expect(f.changes.map((c) => [c.seq, c.change])).toEqual([[2, 'appeared'], [3, 'cleared'], [4, 'appeared']]);
    expect(s.flaps.find((x) => x.code === 'dns-addresses-disagree')!.address).toBe('*');
    expect(renderSummary(s)).toMatch(/alpn-no-h2 \(error\) on 192\.0\.2\.2 \(resolver system\): in 2 of 4 runs/);
  });

  test('a code present in every run is steady, not a flap; nothing flapped is said', () => {
    const s = summarize([run(1, true), run(2, true)]);
    expect(s.flaps).toEqual([]);
    expect(s.steady.map((x) => x.code).sort()).toEqual(['alpn-no-h2', 'dns-addresses-disagree']);
    expect(renderSummary(s)).toMatch(/nothing flapped/);
  });

  test('rows per resolver: one address under two resolvers is two rows', () => {
    const s = summarize([run(1, false, ['127.0.0.1:5301', '127.0.0.1:5302'])]);
    expect(s.rows.map((r) => `${r.resolver} ${r.address}`)).toEqual(['127.0.0.1:5301 192.0.2.1', '127.0.0.1:5302 192.0.2.1', '127.0.0.1:5301 192.0.2.2', '127.0.0.1:5302 192.0.2.2']);
  });

  test('a history replays: JSON lines round-trip, a truncated last line is skipped and named', () => {
    const lines = [run(1, false), run(2, true)].map((r) => JSON.stringify(r));
    const text = lines.join('\n') + '\n' + lines[0]!.slice(0, 30);
    const h = parseHistory(text);
    expect(h.skipped).toEqual([3]);
    expect(summarize(h.lines)).toEqual(summarize([run(1, false), run(2, true)]));
  });

  test('durations', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1500ms')).toBe(1500);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('2')).toBe(2000);
    expect(parseDuration('soon')).toBeUndefined();
  });
});

describe('watch output', () => {
  test('the live table: a row per resolver and address, its last result, and a strip oldest → newest', async () => {
    const { liveTable, plainLine } = await import('./live.js');
    const t = liveTable([run(1, false), run(2, true), run(3, false)], { color: false });
    const row = t.split('\n').find((l) => l.includes('192.0.2.2'))!;
    expect(row).toMatch(/^system +192\.0\.2\.2 +ok +-/);
    expect(row).toContain('✓✗✓');
    expect(t).toMatch(/Ctrl-C ends the watch/);
    expect(plainLine(run(2, true))).toMatch(/#2 {2}FAIL {2}192\.0\.2\.1 ok h2; 192\.0\.2\.2 fail http\/1\.1 alpn-no-h2 {2}\(dns-addresses-disagree\)/);
  });
});

describe('live table width', () => {
  test('no line wider than the terminal (colour or not), so the redraw stays in place', async () => {
    const { liveTable } = await import('./live.js');
    for (const color of [false, true]) {
      const t = liveTable([run(1, false), run(2, true)], { color, width: 60 });
      for (const l of t.trimEnd().split('\n')) expect([...l.replace(/\x1b\[[0-9;]*m/g, '')].length).toBeLessThanOrEqual(60);
    }
  });
});

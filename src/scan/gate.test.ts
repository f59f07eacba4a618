import { afterEach, describe, expect, test, vi } from 'vitest';
import { politeGate, type GateStats } from './gate.js';

afterEach(() => void vi.useRealTimers());

describe('politeness gate', () => {
  test('at most perAddress connections open at once per address; other addresses are not held up', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const stats: GateStats = { peakOpen: new Map(), opened: 0 };
    const gate = politeGate({ perAddress: 2, ratePerSecond: 1_000_000 }, stats);
    const got: string[] = [];
    const take = (a: string, id: string) => gate(a, 443).then((release) => (got.push(id), release));
    const r1 = take('10.0.0.1', 'a1');
    const r2 = take('10.0.0.1', 'a2');
    void take('10.0.0.1', 'a3');
    void take('10.0.0.2', 'b1');
    await vi.advanceTimersByTimeAsync(1);
    expect(got).toEqual(['a1', 'b1', 'a2']);
    (await r1)();
    await vi.advanceTimersByTimeAsync(50);
    expect(got).toEqual(['a1', 'b1', 'a2', 'a3']);
    (await r2)();
    expect(stats.peakOpen.get('10.0.0.1')).toBe(2);
    expect(stats.opened).toBe(4);
  });
  test('new connections to one address are spaced by 1/rate seconds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const gate = politeGate({ perAddress: 10, ratePerSecond: 4 });
    const got: number[] = [];
    for (let i = 0; i < 3; i++) void gate('10.0.0.1', 443).then(() => got.push(i));
    await vi.advanceTimersByTimeAsync(1);
    expect(got).toEqual([0]);
    await vi.advanceTimersByTimeAsync(240);
    expect(got).toEqual([0]);
    await vi.advanceTimersByTimeAsync(20);
    expect(got).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(250);
    expect(got).toEqual([0, 1, 2]);
  });
});

import { describe, expect, test } from 'vitest';
import { parseTarget } from '../model/target.js';
import { renderTrace } from '../report/trace.js';
import { TRACE_DEFAULTS, TraceRecorder } from './recorder.js';

describe('TraceRecorder: one error is not repeated hundreds of times', () => {
  test('300 identical bad frames (numbers aside): 3 problem lines, then one ×N line before the close', () => {
    const rec = new TraceRecorder(parseTarget('http://localhost:8080/'));
    for (let i = 0; i < 300; i++) rec.emit({ kind: 'bytes', dir: 'in', length: 4, summary: 'RST_STREAM', text: '', hex: '' }, [{ level: 'error', text: `stream ${2 * i + 1} reset with CANCEL` }]);
    rec.emit({ kind: 'bytes', dir: 'in', length: 1, summary: 'other', text: '', hex: '' }, [{ level: 'error', text: 'another error' }]);
    rec.emit({ kind: 'close', by: 'server', detail: 'closed' });
    const said = rec.events.flatMap((e) => e.problems ?? []).map((p) => p.text);
    expect(said.filter((t) => /^stream \d+ reset/.test(t))).toHaveLength(TRACE_DEFAULTS.repeatProblems);
    expect(said).toContain('another error');
    const collapsed = said.filter((t) => t.startsWith('×'));
    expect(collapsed).toEqual(['×297 more like the above, not repeated; the latest: stream 599 reset with CANCEL']);
    // The ×N line comes before the close, and the errors list (JSON, exit status) holds no repetition either.
    expect(rec.events.at(-2)!.kind).toBe('note');
    expect(rec.events.at(-1)!.kind).toBe('close');
    expect(rec.errors).toHaveLength(TRACE_DEFAULTS.repeatProblems + 2);
    const text = renderTrace(rec.events);
    // 3 lines, the ×N line, and the summary's "first: …".
    expect(text.match(/reset with CANCEL/g)).toHaveLength(5);
  });

  test('different problems are each said; nothing is left to count when none repeats', () => {
    const rec = new TraceRecorder(parseTarget('http://localhost:8080/'));
    rec.emit({ kind: 'note' }, [{ level: 'error', text: 'first :status abc' }]);
    rec.emit({ kind: 'note' }, [{ level: 'warning', text: 'first :status abc' }]);
    rec.emit({ kind: 'close', by: 'client', detail: 'done' });
    expect(rec.events.map((e) => e.kind)).toEqual(['note', 'note', 'close']);
  });
});

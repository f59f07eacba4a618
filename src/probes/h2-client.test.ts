import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { ByteSink } from '../transport/conn.js';
import { encodeFrame, pingFrame, settingsFrame } from '../wire/http2/frame-encode.js';
import { H2Client, type H2Event } from './h2-client.js';

/** A server that sent `frames` and then closed; the client's writes are collected. */
function serverSent(frames: Uint8Array[]): ByteSink {
  const s = new PassThrough();
  const sink = new ByteSink(s, 1 << 20);
  for (const f of frames) s.write(f);
  s.end();
  return sink;
}

const PING_FIRST = [encodeFrame(pingFrame(new Uint8Array(8))), encodeFrame(settingsFrame([]))];

async function drain(c: H2Client): Promise<H2Event[]> {
  const out: H2Event[] = [];
  if (!(await c.start())) return out;
  for (let e = await c.next(); e; e = await c.next()) out.push(e);
  return out;
}

describe('H2Client', () => {
  it('a probe ends at a first frame that is not SETTINGS', async () => {
    const c = new H2Client(() => {}, serverSent(PING_FIRST), { via: 'prior-knowledge', deadline: performance.now() + 2000 });
    expect(await drain(c)).toEqual([]);
    expect(c.result.outcome).toBe('not-settings');
  });

  it('tolerant (trace): the same outcome is kept, every frame is handed out and observed, in wire order', async () => {
    const seen: string[] = [];
    const c = new H2Client(() => {}, serverSent(PING_FIRST), {
      via: 'prior-knowledge',
      deadline: performance.now() + 2000,
      tolerant: true,
      observer: { preface: () => seen.push('preface'), frame: (dir, f) => seen.push(`${dir} ${f.kind}${'ack' in f && f.ack ? ' ACK' : ''}`) },
    });
    const events = await drain(c);
    expect(events.map((e) => e.kind)).toEqual(['frame', 'settings']);
    expect(c.result.outcome).toBe('not-settings');
    expect(c.streamEnd).toBe('eof');
    // Each received frame is observed before the client answers it.
    expect(seen).toEqual(['preface', 'out SETTINGS', 'out WINDOW_UPDATE', 'in PING', 'out PING ACK', 'in SETTINGS', 'out SETTINGS ACK']);
  });

  it('after quiet() nothing more is written', async () => {
    const written: Uint8Array[] = [];
    const c = new H2Client((b) => written.push(b), serverSent([encodeFrame(settingsFrame([])), encodeFrame(pingFrame(new Uint8Array(8)))]), { via: 'tls', deadline: performance.now() + 2000, tolerant: true });
    expect(await c.start()).toBe(true);
    expect((await c.next())?.kind).toBe('settings');
    c.quiet();
    expect((await c.next())?.kind).toBe('frame');
    // The preface, then the SETTINGS ACK; no PING ACK after quiet().
    expect(written).toHaveLength(2);
  });
});

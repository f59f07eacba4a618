import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { shippedProfiles } from '../../clients/load.js';
import type { ClientProfile } from '../../clients/profile.js';
import { ByteSink } from '../../transport/conn.js';
import { h2Opening as fingerprint } from '../../wire/http2/fingerprint.js';
import { FrameDecoder } from '../../wire/http2/frame.js';
import { encodeFrame, encodeRawFrame, goawayFrame, headersFrame, rstStreamFrame, settingsFrame } from '../../wire/http2/frame-encode.js';
import type { Frame } from '../../wire/http2/frame-types.js';
import { FRAME_TYPES } from '../../wire/http2/registry.js';
import { CLIENT_PREFACE } from '../../wire/http2/registry.js';
import { HpackDecoder, HpackEncoder } from '../../wire/hpack/index.js';
import { concat } from '../../wire/bytes.js';
import type { Meter } from '../meter.js';
import { H2Client } from '../h2-client.js';
import { openingOf, simOutcome } from './h2-opening.js';

const ctx = { target: { host: 'localhost', port: 8443, tls: true, path: '/x' }, userAgent: 'h2doctor-test' } as unknown as Meter['ctx'];

/** The probes' one HTTP/2 client opening as `p` does, against a scripted server: what it wrote, and how it ended. */
async function run(p: ClientProfile, server: (sent: Uint8Array[]) => Uint8Array[] = () => [], end = true) {
  const stream = new EventEmitter();
  const sent: Uint8Array[] = [];
  const sink = new ByteSink(stream, 1 << 20);
  const client = new H2Client((b) => sent.push(b), sink, { via: 'tls', deadline: performance.now() + 2000, opening: openingOf(p, ctx) });
  const started = client.start();
  await new Promise((r) => setImmediate(r));
  for (const b of server(sent)) stream.emit('data', Buffer.from(b));
  if (end) stream.emit('end');
  if (await started) for (let e = await client.next(); e && e.kind !== 'response'; e = await client.next());
  return { sent: concat(sent), r: client.result, sim: simOutcome(client.result, client.streamEnd) };
}

/** The frames in what the client wrote after the preface, and its first HEADERS' field names. */
function readOpening(bytes: Uint8Array): { frames: Frame[]; names: string[] } {
  expect(Buffer.from(bytes.subarray(0, CLIENT_PREFACE.length)).equals(Buffer.from(CLIENT_PREFACE))).toBe(true);
  const dec = new FrameDecoder();
  dec.push(bytes.subarray(CLIENT_PREFACE.length));
  const frames: Frame[] = [];
  for (let f = dec.next(); f; f = dec.next()) frames.push(f);
  const h = frames.find((f) => f.kind === 'HEADERS');
  const names = h?.kind === 'HEADERS' ? new HpackDecoder().decode(h.fieldBlockFragment).headers.map(([k]) => k) : [];
  return { frames, names };
}

const withH2 = shippedProfiles().filter((p) => p.h2);

describe("a client's HTTP/2 opening, sent by the probes' one HTTP/2 client", () => {
  it('has shipped profiles with an HTTP/2 opening', () => expect(withH2.length).toBeGreaterThan(3));
  for (const p of withH2) {
    it(`${p.id}: the bytes carry the captured opening (Akamai fingerprint, HEADERS priority, pseudo-header order)`, async () => {
      const { sent } = await run(p);
      const { frames, names } = readOpening(sent);
      const o = fingerprint(frames, names);
      expect(o.akamai).toBe(p.h2!.akamai);
      expect(o.headersPriority).toEqual(p.h2!.headersPriority);
      expect(o.pseudoHeaderOrder).toEqual(p.h2!.pseudoHeaderOrder);
      const h = frames.find((f) => f.kind === 'HEADERS')!;
      expect(h.streamId).toBe(1);
      expect(h.kind === 'HEADERS' && h.endStream && h.endHeaders).toBe(true);
    });
  }

  it('sends PRIORITY frames in order and puts the GET on the first stream they leave free', async () => {
    const base = withH2[0]!;
    const p: ClientProfile = { ...base, h2: { ...base.h2!, priority: [{ streamId: 1, exclusive: false, dependsOn: 0, weight: 201 }, { streamId: 3, exclusive: true, dependsOn: 1, weight: 1 }] } };
    const { sent } = await run(p, () => [encodeFrame(settingsFrame([])), encodeFrame(headersFrame(5, new HpackEncoder().encode([[':status', '204']]), { endStream: true }))]);
    const { frames } = readOpening(sent);
    const o = fingerprint(frames, []);
    expect(o.priority).toEqual([{ streamId: 1, exclusive: false, dependsOn: 0, weight: 201 }, { streamId: 3, exclusive: true, dependsOn: 1, weight: 1 }]);
    expect(frames.find((f) => f.kind === 'HEADERS')!.streamId).toBe(5);
  });
});

describe("how a client's opening ended, in the simulation's words", () => {
  const p = withH2[0]!;
  const status = (n: string) => encodeFrame(headersFrame(1, new HpackEncoder().encode([[':status', n]]), { endStream: true }));
  it('a response: its status (an interim 103 first is not the answer)', async () => {
    expect((await run(p, () => [encodeFrame(settingsFrame([])), status('103'), status('200')])).sim).toEqual({ outcome: 'response', status: 200 });
  });
  it('SETTINGS acknowledged once received', async () => {
    const { sent } = await run(p, () => [encodeFrame(settingsFrame([])), status('200')]);
    expect(readOpening(sent).frames.some((f) => f.kind === 'SETTINGS' && f.ack)).toBe(true);
  });
  it('a GOAWAY: its error and debug text', async () => {
    expect((await run(p, () => [encodeFrame(settingsFrame([])), encodeFrame(goawayFrame(0, 'INADEQUATE_SECURITY', 'weak suite'))])).sim).toEqual({ outcome: 'goaway', goaway: 'INADEQUATE_SECURITY', detail: 'weak suite' });
  });
  it('RST_STREAM on the request: closed, with its error', async () => {
    expect((await run(p, () => [encodeFrame(settingsFrame([])), encodeFrame(rstStreamFrame(1, 'REFUSED_STREAM'))])).sim).toEqual({ outcome: 'closed', detail: 'RST_STREAM REFUSED_STREAM' });
  });
  it('closed before SETTINGS: no-settings; after: closed', async () => {
    expect((await run(p, () => [])).sim).toEqual({ outcome: 'no-settings', detail: 'the server closed the connection' });
    expect((await run(p, () => [encodeFrame(settingsFrame([]))])).sim).toEqual({ outcome: 'closed', detail: 'the server closed the connection' });
  });
  it('an HTTP/1.1 answer is no SETTINGS', async () => {
    const r = await run(p, () => [new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')]);
    expect(r.sim.outcome).toBe('no-settings');
    expect(r.sim.detail).toMatch(/^not HTTP\/2: .*HTTP\/1\.1 400/);
  });
  it('a PUSH_PROMISE is allowed when the client leaves push on, its field block read (the HPACK table is shared); a client that turned push off fails on it', async () => {
    // RFC 9113 §6.6: promised stream id, then a field block; the response that follows indexes what the promise added (RFC 7541 §2.3.2).
    const enc = new HpackEncoder({ indexing: true, huffman: false });
    const promise = enc.encode([[':method', 'GET'], [':scheme', 'https'], [':authority', 'localhost'], [':path', '/style.css'], ['x-pushed', 'yes']]);
    const answer = enc.encode([[':status', '200'], ['x-pushed', 'yes']]);
    const server = () => [encodeFrame(settingsFrame([])), encodeRawFrame(FRAME_TYPES.PUSH_PROMISE, 0x4, 1, Uint8Array.from([0, 0, 0, 2, ...promise])), encodeFrame(headersFrame(1, answer, { endStream: true }))];
    const pushOn = withH2.find((x) => !x.h2!.settings.some((s) => s.id === 2 && s.value === 0))!;
    const pushOff = withH2.find((x) => x.h2!.settings.some((s) => s.id === 2 && s.value === 0))!;
    expect((await run(pushOn, server)).sim).toEqual({ outcome: 'response', status: 200 });
    const off = await run(pushOff, server);
    expect(off.sim.outcome).toBe('closed');
    expect(off.sim.detail).toMatch(/PUSH_PROMISE although we sent SETTINGS_ENABLE_PUSH = 0/);
  });
  it('the deadline: no-settings before SETTINGS, timeout after', () => {
    expect(simOutcome({ via: 'tls', outcome: 'timeout', frames: [] }, 'timeout')).toEqual({ outcome: 'no-settings', detail: 'no SETTINGS in time' });
    expect(simOutcome({ via: 'tls', outcome: 'timeout', frames: [], serverSettings: [] }, 'timeout')).toEqual({ outcome: 'timeout', detail: 'SETTINGS came, no response in time' });
  });
});

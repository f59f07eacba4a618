import { describe, expect, it } from 'vitest';
import { h2Opening } from './fingerprint.js';
import { headersFrame, settingsFrame, windowUpdateFrame } from './frame-encode.js';
import { type Frame } from './frame-types.js';

describe('h2Opening', () => {
  it('gives the Akamai string: settings in order, window update, priority, pseudo-header initials', () => {
    const frames: Frame[] = [
      settingsFrame([{ id: 1, value: 65536 }, { id: 2, value: 0 }, { id: 4, value: 6291456 }, { id: 6, value: 262144 }]),
      windowUpdateFrame(0, 15663105),
      headersFrame(1, new Uint8Array(0), { endStream: true, priority: { exclusive: true, streamDependency: 0, weight: 255 } }),
    ];
    const o = h2Opening(frames, [':method', ':authority', ':scheme', ':path', 'user-agent']);
    expect(o.akamai).toBe('1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p');
    expect(o.headersPriority).toEqual({ exclusive: true, dependsOn: 0, weight: 256 });
    expect(o.headerOrder).toEqual(['user-agent']);
  });
  it('says 0 for no window update and lists PRIORITY frames', () => {
    const pri = { kind: 'PRIORITY', type: 2, flags: 0, streamId: 3, length: 5, exclusive: false, streamDependency: 0, weight: 200 } as Frame;
    const o = h2Opening([settingsFrame([{ id: 3, value: 100 }]), pri, headersFrame(1, new Uint8Array(0))], [':method', ':path']);
    expect(o.akamai).toBe('3:100|0|3:0:0:201|m,p');
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { http1Answer, http2Answer } from './answers.js';
import type { Probe } from './probes.js';

const common = (id: string) => ({ id, address: '127.0.0.1', port: 443, startMs: 0, durationMs: 1, bytesSent: 0, bytesReceived: 0, connect: { ok: true as const, ms: 1 } });
const h1 = (name: 'h1-tls' | 'h1-cleartext' | 'sniff-http1'): Probe => ({ kind: 'h1', name, ...common(name), h1: { outcome: 'response', status: 200 } });
const h2 = (name: 'h2-tls' | 'h2c-prior-knowledge' | 'sniff-h2c'): Probe => ({ kind: 'h2', name, ...common(name), h2: { via: 'tls', outcome: 'response', frames: [] } });

describe('the HTTP/1.1 and HTTP/2 answers of a target', () => {
  test('over TLS and over cleartext; a sniff is never the answer', () => {
    expect(http1Answer([h1('sniff-http1'), h1('h1-tls')])?.name).toBe('h1-tls');
    expect(http1Answer([h1('sniff-http1'), h1('h1-cleartext')])?.name).toBe('h1-cleartext');
    expect(http1Answer([h1('sniff-http1')])).toBeUndefined();
    expect(http2Answer([h2('sniff-h2c'), h2('h2-tls')])?.name).toBe('h2-tls');
    expect(http2Answer([h2('sniff-h2c'), h2('h2c-prior-knowledge')])?.name).toBe('h2c-prior-knowledge');
    expect(http2Answer([h2('sniff-h2c'), h1('h1-tls')])).toBeUndefined();
  });

  test('no module derives them again', () => {
    const src = path.join(__dirname, '..');
    const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path.join(d, e.name)] : []));
    const again = /name === 'h1-tls' \|\| \w+\.name === 'h1-cleartext'|name === 'h2-tls' \|\| \w+\.name === 'h2c-prior-knowledge'/;
    const allowed = new Set(['model/answers.ts']);
    const found = walk(src).map((f) => path.relative(src, f).split(path.sep).join('/')).filter((f) => !allowed.has(f) && again.test(fs.readFileSync(path.join(src, f), 'utf8')));
    expect(found).toEqual([]);
  });
});

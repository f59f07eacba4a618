import { afterEach, describe, expect, it } from 'vitest';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import { createLabPki } from '../lab/pki.js';
import { captureSession, type CaptureSession } from '../lab/capture.js';
import { profileFromCapture } from './from-capture.js';
import { checkProfile } from './profile.js';

let s: CaptureSession | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

async function session(cleartext = false) {
  const pki = await createLabPki();
  const c = await pki.preset('valid');
  s = await captureSession({ cert: { cert: c.serverCertPem, key: c.keyPem }, cleartext, timeoutMs: 10000 });
  return { s, ca: pki.rootCa.certPem };
}

describe('capture server', () => {
  it('records a node:http2 client: its hello, ALPN h2, SETTINGS and pseudo-header order; the profile has JA4', async () => {
    const { s, ca } = await session();
    const client = http2.connect(`https://localhost:${s.port}`, { ca, settings: { initialWindowSize: 1 << 20 } });
    client.on('error', () => {});
    const req = client.request({ ':path': '/x' });
    req.on('error', () => {});
    req.resume();
    req.end();
    const got = await s.done;
    client.close();
    expect(got.tls?.alpn).toBe('h2');
    const p = checkProfile(JSON.parse(JSON.stringify(profileFromCapture({ id: 'node-test', client: { name: 'node', version: process.versions.node }, date: '2026-12-03', with: 'test' }, got.tls))));
    expect(p.tls?.alpn).toEqual(['h2']);
    expect(p.tls?.sni).toBe('sent');
    expect(p.ja4).toMatch(/^t13d\d{4}h2_[0-9a-f]{12}_[0-9a-f]{12}$/);
    // node:http2 sends :method, :authority, :scheme, :path in the order the request lists them, after its own
    expect(p.h2?.pseudoHeaderOrder.sort()).toEqual([':authority', ':method', ':path', ':scheme']);
    expect(p.h2?.settings.find((x) => x.id === 4)?.value).toBe(1 << 20);
  });

  it('records cleartext behaviour: prior knowledge, Upgrade: h2c, plain HTTP/1.1', async () => {
    const { s } = await session(true);
    const sock = net.connect(s.port, '127.0.0.1');
    sock.on('error', () => {});
    sock.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n');
    const tlsSock = tls.connect({ port: s.port, host: '127.0.0.1', servername: 'localhost', rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }, () => tlsSock.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    tlsSock.on('error', () => {});
    const got = await s.done;
    sock.destroy();
    tlsSock.destroy();
    expect(got.cleartext?.cleartext).toBe('upgrade');
    expect(got.tls?.alpn).toBe('http/1.1');
    const p = profileFromCapture({ id: 't', client: { name: 't', version: '1' }, date: '2026-12-03', with: 'test' }, got.tls, got.cleartext);
    expect(p.policy.cleartext).toBe('h2c-upgrade');
    expect(p.h2).toBeNull();
    expect(p.ja4).toMatch(/^t13d\d{4}h1_/);
  });

  it('refuses to build a profile from nothing', () => {
    expect(() => profileFromCapture({ id: 't', client: { name: 't', version: '1' }, date: '2026-12-03', with: 'test' })).toThrow(/nothing captured/);
  });
});

describe('h2doctor capture-client', () => {
  it('writes a profile file for the client that connects, and says where', async () => {
    const { runCli } = await import('../cli/run.js');
    const { freePort } = await import('../lab/servers.js');
    const { mkdtemp, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'h16-capture-'));
    const port = await freePort();
    let out = '';
    const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += t), readStdin: async () => '', stdinIsTTY: true, color: false, env: {}, cwd: dir };
    const running = runCli(['capture-client', '--port', String(port), '--id', 'probe-test', '--out', 'p.json', '--timeout', '8000'], io);
    for (let i = 0; i < 50 && !out.includes('listening'); i++) await new Promise((r) => setTimeout(r, 50));
    const c = http2.connect(`https://localhost:${port}`, { rejectUnauthorized: false });
    c.on('error', () => {});
    const req = c.request({ ':path': '/' });
    req.on('error', () => {});
    req.resume();
    req.end();
    expect(await running).toBe(0);
    c.close();
    const p = checkProfile(JSON.parse(await readFile(join(dir, 'p.json'), 'utf8')));
    expect(p.id).toBe('probe-test');
    expect(p.h2).not.toBeNull();
    expect(out).toContain(`wrote ${join(dir, 'p.json')}`);
  });
  it('refuses a bad --port with exit 2', async () => {
    const { runCli } = await import('../cli/run.js');
    let err = '';
    const io = { stdout: () => {}, stderr: (t: string) => void (err += t), readStdin: async () => '', stdinIsTTY: true, color: false, env: {}, cwd: '/tmp' };
    expect(await runCli(['capture-client', '--port', 'x'], io)).toBe(2);
    expect(err.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

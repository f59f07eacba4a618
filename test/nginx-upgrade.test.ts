/**
 * A real nginx reverse proxy in front of a WebSocket endpoint, with and without
 * `proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"`:
 * the first passes the handshake (101, then ping/pong through nginx), the second drops the upgrade
 * (nginx speaks HTTP/1.0 upstream and does not forward Upgrade), which h2doctor reports as
 * upgrade-header-stripped naming nginx from its Server field.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import http from 'node:http';
import { diagnose } from '../src/diagnose.js';
import { listen, type Listening } from '../src/lab/servers.js';
import { ws426, wsUpgrade } from '../src/lab/upgrade-ws.js';
import { findBinary, startNginx } from './upgrade-helpers.js';
import { skipWithout } from './real-helpers.js';

let backend: Listening;
let nginx: { ports: number[]; stop(): Promise<void> };

describe.skipIf(skipWithout(findBinary('nginx'), 'nginx reverse proxy'))('nginx reverse proxy and WebSocket upgrades (skipped without nginx: test/setup/upgrade-proxies.sh installs it)', () => {
  beforeAll(async () => {
    const s = http.createServer((_req, res) => ws426(res));
    s.on('upgrade', (req, socket, head) => wsUpgrade(req, socket, head));
    backend = await listen(s, '127.0.0.1');
    nginx = await startNginx(
      ([forwarding, plain]) => `
  server {
    listen 127.0.0.1:${forwarding};
    location / {
      proxy_pass http://127.0.0.1:${backend.port};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
    }
  }
  server {
    listen 127.0.0.1:${plain};
    location / { proxy_pass http://127.0.0.1:${backend.port}; }
  }`,
      2,
    );
  });
  afterAll(async () => {
    await nginx?.stop();
    await backend?.stop();
  });

  test('with proxy_set_header Upgrade/Connection: the handshake passes, no finding', async () => {
    const r = await diagnose(`ws://localhost:${nginx.ports[0]}/chat`, { resolve: [`localhost:${nginx.ports[0]}:127.0.0.1`], proxy: null, timeoutMs: 3000 });
    expect(r.findings.map((f) => f.code)).toEqual([]);
    const ws = r.probes.find((p) => p.kind === 'websocket');
    expect(ws?.kind === 'websocket' && ws.h1.status).toBe(101);
    expect(ws?.kind === 'websocket' && ws.handshake?.ok).toBe(true);
    expect(ws?.kind === 'websocket' && ws.roundTrip?.outcome).toBe('pong');
  });

  test('without them: upgrade-header-stripped, naming nginx', async () => {
    const r = await diagnose(`ws://localhost:${nginx.ports[1]}/chat`, { resolve: [`localhost:${nginx.ports[1]}:127.0.0.1`], proxy: null, timeoutMs: 3000 });
    expect(r.findings.map((f) => f.code)).toEqual(['upgrade-header-stripped']);
    const f = r.findings[0]!;
    expect(f.severity).toBe('error');
    expect(f.title).toMatch(/Server: nginx/);
    const texts = f.evidence.map((e) => e.text).join('\n');
    expect(texts).toMatch(/426/);
    // The variants were tried and answer alike: the upgrade never reaches the backend.
    expect(r.probes.some((p) => p.kind === 'h1-request' && p.name === 'strip-http10')).toBe(true);
    expect(r.probes.some((p) => p.kind === 'h1-request' && p.name === 'strip-no-connection')).toBe(true);
    expect(f.fixes.some((x) => x.applies === 'nginx' && /proxy_set_header Upgrade \$http_upgrade/.test(x.snippet ?? ''))).toBe(true);
  });
});

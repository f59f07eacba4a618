/**
 * websocket-subprotocol-rejected against a real WebSocket server: Python `websockets` (Debian
 * python3-websockets 10.4) serving subprotocol `chat.v2` only. Asked for `graphql-ws`, it still
 * answers 101, with no Sec-WebSocket-Protocol. Ground truth first, from real clients: Node's `ws`
 * fails the connection ("Server sent no subprotocol"); Python's own client connects with no
 * subprotocol; offered `chat.v2`, both get `chat.v2`. Then h2doctor: `--ws-protocol graphql-ws` is
 * websocket-subprotocol-rejected, `--ws-protocol chat.v2` is not.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { diagnose } from '../src/diagnose.js';
import { freePort, runClient, skipWithout, spawnServer, type RealServer } from './real-helpers.js';
import { spawnSync } from 'node:child_process';

const PY = '/usr/bin/python3';
const hasWebsockets = spawnSync(PY, ['-c', 'import websockets'], { stdio: 'ignore' }).status === 0;
const WS_MODULE = createRequire(import.meta.url).resolve('ws');

const SERVER = `
import asyncio, sys, websockets
async def handler(ws, path=None):
    await ws.send("subprotocol=" + str(ws.subprotocol))
    await ws.close()
async def main():
    async with websockets.serve(handler, "127.0.0.1", int(sys.argv[1]), subprotocols=["chat.v2"]):
        await asyncio.Future()
asyncio.run(main())
`;

let server: RealServer;
let port: number;
let dir: string;
beforeAll(async () => {
  if (!hasWebsockets && process.env.CI !== 'true') return;
  dir = mkdtempSync(join(tmpdir(), 'h2d-real-ws-'));
  writeFileSync(join(dir, 'server.py'), SERVER);
  port = await freePort();
  server = await spawnServer('python3 websockets', PY, [join(dir, 'server.py'), String(port)], dir, [port]);
}, 20_000);
afterAll(async () => {
  await server?.stop();
});

const nodeWs = (protocol: string) =>
  runClient(
    `${process.execPath} -e "const W=require('${WS_MODULE}');const w=new W('ws://127.0.0.1:${port}/',['${protocol}']);w.on('open',()=>{console.log('open protocol='+w.protocol);w.close()});w.on('error',e=>console.log('Error: '+e.message))"`,
  );
const pyWs = (protocol: string) =>
  runClient(
    `${PY} -c "
import asyncio, websockets
async def m():
    async with websockets.connect('ws://127.0.0.1:${port}/', subprotocols=['${protocol}']) as ws:
        print('connected', await ws.recv())
asyncio.run(m())" 2>&1`,
  );

describe.skipIf(skipWithout(hasWebsockets ? PY : undefined, 'python3-websockets'))('real WebSocket server (python3-websockets) with subprotocol chat.v2', () => {
  test('ground truth: Node ws fails on graphql-ws, Python websockets goes on without a subprotocol; both get chat.v2 when they offer it', async () => {
    expect(await nodeWs('graphql-ws')).toContain('Error: Server sent no subprotocol');
    expect(await pyWs('graphql-ws')).toContain('connected subprotocol=None');
    expect(await nodeWs('chat.v2')).toContain('open protocol=chat.v2');
    expect(await pyWs('chat.v2')).toContain('connected subprotocol=chat.v2');
  });

  test('--ws-protocol graphql-ws → websocket-subprotocol-rejected, and the clients print line is the one Node ws printed', async () => {
    const r = await diagnose(`http://127.0.0.1:${port}/`, { proxy: null, websocket: '/', wsProtocols: ['graphql-ws'], timeoutMs: 2000 });
    const f = r.findings.find((x) => x.code === 'websocket-subprotocol-rejected');
    expect(f, JSON.stringify(r.findings.map((x) => x.code))).toBeDefined();
    expect(f!.severity).toBe('error');
    expect(f!.evidence.map((e) => e.text).join(' ')).toMatch(/graphql-ws.*101 without Sec-WebSocket-Protocol/);
    expect(f!.clientsSee.join('\n')).toContain('Server sent no subprotocol');
  });

  test('--ws-protocol chat.v2 → no websocket finding', async () => {
    const r = await diagnose(`http://127.0.0.1:${port}/`, { proxy: null, websocket: '/', wsProtocols: ['chat.v2'], timeoutMs: 2000 });
    expect(r.findings.map((x) => x.code).filter((c) => c.startsWith('websocket-'))).toEqual([]);
  });
});

/**
 * WebSocket after a valid 101 (issue 12): real clients are the ground truth that each hostile
 * behaviour of the lab is broken, and h2doctor names it `websocket-protocol-error` (error, never OK).
 *   - python3-websockets (Debian's, for /usr/bin/python3) and Node's `ws` connect, ping, and print
 *     what they got; neither gets a pong from any behaviour, both get one from the healthy lab server;
 *   - the diagnosis of each behaviour has the finding, with the 64-bit length printed exactly;
 *   - `trace` of the ws:// URL follows the upgrade, shows the frames (bounded) and gives the same code.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { diagnose } from '../src/diagnose.js';
import { runTrace } from '../src/trace/session.js';
import { WS_TRACE_LIMITS } from '../src/trace/websocket.js';
import { parseResolve, parseTarget } from '../src/model/target.js';
import { createLabPki, type LabPki } from '../src/lab/pki.js';
import { ALL_SCENARIOS } from '../src/lab/scenarios.js';
import { HOSTILE_WS_KINDS, hostileWsServer, type HostileWsKind } from '../src/lab/hostile-ws.js';
import type { Listening } from '../src/lab/servers.js';
import { skipWithout } from './real-helpers.js';

const PY = '/usr/bin/python3';
const hasWebsockets = spawnSync(PY, ['-c', 'import websockets'], { stdio: 'ignore' }).status === 0;

/** Connect, ping, wait 2 s for the pong, then read once: one line saying what happened. */
const PY_CLIENT = `
import asyncio, sys, websockets
async def main(url):
    try:
        async with websockets.connect(url, open_timeout=3, close_timeout=1) as ws:
            pong = await ws.ping(b'x')
            try:
                await asyncio.wait_for(pong, 2)
                print("PONG")
                return
            except asyncio.TimeoutError:
                print("no pong in 2 s;", end=" ")
            try:
                await asyncio.wait_for(ws.recv(), 1)
                print("a message")
            except asyncio.TimeoutError:
                print("nothing in 1 s")
    except Exception as e:
        print(type(e).__name__ + ": " + str(e)[:300])
asyncio.run(main(sys.argv[1]))
`;

const NODE_CLIENT = `
const WebSocket = require(process.argv[2]);
const ws = new WebSocket(process.argv[1]);
let pings = 0;
const t = setTimeout(() => { console.log('no pong in 2 s (' + pings + ' pings received)'); ws.terminate(); }, 2000);
ws.on('open', () => ws.ping('x'));
ws.on('ping', () => pings++);
ws.on('pong', () => { console.log('PONG'); clearTimeout(t); ws.close(); });
ws.on('error', (e) => console.log('error: ' + e.message));
ws.on('close', (c) => { clearTimeout(t); console.log('close ' + c + ' after ' + pings + ' pings'); });
`;
const WS_MODULE = new URL('../node_modules/ws/index.js', import.meta.url).pathname;

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    const kill = setTimeout(() => c.kill('SIGKILL'), 15_000);
    c.on('close', () => (clearTimeout(kill), resolve(out.trim())));
  });
}

/** What each real client prints, written before h2doctor ran on the behaviour. */
const PYTHON_SAYS: Record<HostileWsKind, RegExp> = {
  garbage: /ConnectionClosedError: sent 1002 \(protocol error\)/,
  'length-2e63': /ConnectionClosedError: sent 1009 \(message too big\)/,
  'bad-close': /sent 1002 \(protocol error\)/,
  'frame-flood': /^no pong in 2 s/,
  'no-pong': /^no pong in 2 s; nothing in 1 s$/,
};
const NODE_WS_SAYS: Record<HostileWsKind, RegExp> = {
  garbage: /Invalid WebSocket frame: RSV2 and RSV3 must be clear/,
  'length-2e63': /Unsupported WebSocket frame: payload length > 2\^53 - 1/,
  'bad-close': /Invalid WebSocket frame: invalid status code 1005/,
  // ws answers each ping and gives up (1006) or waits out the 2 s: never a pong.
  'frame-flood': /close 1006 after [1-9]\d* pings|no pong in 2 s \([1-9]\d* pings received\)/,
  'no-pong': /no pong in 2 s \(0 pings received\)/,
};
/** What h2doctor's finding must say of each. */
const DETAIL: Record<HostileWsKind, RegExp> = {
  garbage: /RFC 6455 §5\.2: RSV bits|reserved opcode/,
  'length-2e63': /payload length 9223372036854775807 exceeds/,
  'bad-close': /close code 1005 is not allowed/,
  'frame-flood': /flood instead of a pong: \d+ frames \(\d+ ping\)/,
  'no-pong': /no pong to our ping.*nothing at all after the 101/,
};

let pki: LabPki;
beforeAll(async () => {
  pki = await createLabPki();
}, 60_000);

const url = (l: Listening) => `ws://127.0.0.1:${l.port}/chat`;

describe('WebSocket after a valid 101', () => {
  let servers: Partial<Record<HostileWsKind, Listening>> = {};
  beforeAll(async () => {
    for (const k of HOSTILE_WS_KINDS) servers[k] = await hostileWsServer(k);
  });
  afterAll(async () => {
    for (const l of Object.values(servers)) await l!.stop();
    servers = {};
  });

  test.skipIf(skipWithout(hasWebsockets ? PY : undefined, 'python3-websockets'))('python3-websockets gets no pong from any behaviour (ground truth)', async () => {
    const got = await Promise.all(HOSTILE_WS_KINDS.map(async (k) => [k, await run(PY, ['-c', PY_CLIENT, url(servers[k]!)])] as const));
    for (const [k, out] of got) expect(out, k).toMatch(PYTHON_SAYS[k]);
  }, 30_000);

  test("Node's ws gets no pong from any behaviour (ground truth)", async () => {
    const got = await Promise.all(HOSTILE_WS_KINDS.map(async (k) => [k, await run(process.execPath, ['-e', NODE_CLIENT, url(servers[k]!), WS_MODULE])] as const));
    for (const [k, out] of got) {
      expect(out, k).toMatch(NODE_WS_SAYS[k]);
      expect(out, k).not.toMatch(/PONG/);
    }
  }, 30_000);

  test('h2doctor: websocket-protocol-error with what the server did, verdict fail', async () => {
    for (const k of HOSTILE_WS_KINDS) {
      const r = await diagnose(url(servers[k]!), { proxy: null, timeoutMs: 2000, maxTimeMs: 5000 });
      const f = r.findings.find((x) => x.code === 'websocket-protocol-error');
      expect(f?.title ?? `none; found ${r.findings.map((x) => x.code).join(', ')}`, k).toMatch(DETAIL[k]);
      expect(f?.severity, k).toBe('error');
      expect(r.verdict, k).toBe('fail');
    }
  }, 60_000);

  test('h2doctor trace: follows the upgrade, reads the frames (bounded) and gives the same code as diagnose', async () => {
    const traces = await Promise.all(HOSTILE_WS_KINDS.map(async (k) => [k, await runTrace(parseTarget(url(servers[k]!)), { timeoutMs: 3000 })] as const));
    for (const [k, t] of traces) {
      const f = t.findings.find((x) => x.code === 'websocket-protocol-error');
      expect(f?.title ?? `none; found ${t.findings.map((x) => x.code).join(', ')}`, k).toMatch(DETAIL[k]);
      // An error problem: the CLI's exit status 1.
      expect(t.errors.length, k).toBeGreaterThan(0);
      const ws = t.events.filter((e) => e.kind === 'ws');
      expect(ws[0], k).toMatchObject({ kind: 'ws', dir: 'out', opcode: 'ping' });
      // A flood is shown a few frames per kind and counted, never line by line.
      expect(ws.length, k).toBeLessThanOrEqual(WS_TRACE_LIMITS.shownPerKind + 2);
      expect(t.events.at(-1)?.kind, k).toBe('close');
    }
    const flood = traces.find(([k]) => k === 'frame-flood')![1];
    expect(flood.events.flatMap((e) => e.problems ?? []).map((p) => p.text).join('\n')).toMatch(/not shown, counted: \d+ more ping frame/);
  }, 60_000);
});

describe('the healthy lab WebSocket server (control)', () => {
  test.skipIf(skipWithout(hasWebsockets ? PY : undefined, 'python3-websockets'))('python3-websockets and h2doctor both get the pong; no websocket-protocol-error', async () => {
    const s = ALL_SCENARIOS.find((x) => x.id === 'websocket-ws')!;
    const r = await s.start({ pki });
    try {
      expect(await run(PY, ['-c', PY_CLIENT, r.url])).toBe('PONG');
      const rep = await diagnose(r.url, { proxy: null, resolve: r.resolve ?? [] });
      const ws = rep.probes.find((p) => p.kind === 'websocket');
      expect(ws?.kind === 'websocket' && ws.roundTrip?.outcome).toBe('pong');
      expect(rep.findings.map((f) => f.code)).not.toContain('websocket-protocol-error');
      const t = await runTrace(parseTarget(r.url), { resolve: (r.resolve ?? []).map(parseResolve) });
      expect(t.events.filter((e) => e.kind === 'ws').map((e) => e.kind === 'ws' && `${e.dir} ${e.opcode}`)).toEqual(['out ping', 'in pong', 'out close']);
      expect(t.errors).toEqual([]);
      expect(t.findings).toEqual([]);
    } finally {
      await r.stop();
    }
  }, 30_000);
});

/**
 * Probe stages of the upgrade family, run once the core probes of an address are in:
 * - the protocol matrix's HTTP/1.0 row (HTTP/1.1 and HTTP/2 come from the core probes);
 * - a 426 read again for its whole body (Problem Details);
 * - the server's hint followed: a 426/400 naming `websocket` gets a WebSocket handshake, one naming
 *   `TLS/x` on cleartext gets an in-band TLS upgrade (RFC 2817); HTTP/2 and h2c are already probed;
 * - WebSocket for ws/wss targets and `--websocket <path>`, and RFC 8441 over HTTP/2 when the server
 *   enables it;
 * - when a correct upgrade is answered as if it had not been asked, the variants that show where it
 *   is lost (without `Connection: Upgrade`, and as HTTP/1.0).
 * Nothing here runs for a healthy https/http target but the one HTTP/1.0 request.
 */
import { http1Answer, http2Answer, type Probe } from '../../model/index.js';
import type { ProbeContext } from '../context.js';
import type { Go, ProbeStage } from './types.js';
import { parseUpgrade, upgradeFamilies } from '../../wire/http/upgrade.js';
import { headerValues } from '../../wire/http1/head.js';
import { SETTINGS } from '../../wire/http2/registry.js';
import { probeH1Request } from '../upgrade/h1-request.js';
import { probeWebSocket } from '../upgrade/websocket.js';
import { probeExtendedConnect } from '../upgrade/extended-connect.js';


/**
 * What the server's 426/400 names in `Upgrade`.
 * @example hintedFamilies(426, [['Upgrade', 'h2c']]) // ['h2']
 */
export function hintedFamilies(status: number | undefined, headers: ReadonlyArray<readonly [string, string]> | undefined): string[] {
  if (status !== 426 && status !== 400) return [];
  const values = headerValues(headers ?? [], 'upgrade');
  if (!values.length) return [];
  return upgradeFamilies(parseUpgrade(values));
}

async function runUpgrade(ctx: ProbeContext, core: readonly Probe[], go: Go): Promise<Probe[]> {
  const tcp = core.find((p) => p.kind === 'tcp' || p.kind === 'proxy-connect');
  if (!tcp || !tcp.connect.ok) return [];
  const h1 = http1Answer(core);
  const h1ok = h1?.h1.outcome === 'response';
  const t = ctx.target;
  const wsTarget = t.scheme === 'ws' || t.scheme === 'wss';
  const hints = h1ok ? hintedFamilies(h1.h1.status, h1.h1.headers) : [];
  const wsPath = wsTarget ? t.path : (ctx.options.websocket ?? (hints.includes('websocket') ? t.path : undefined));
  const wsTrigger = wsTarget ? 'target' : ctx.options.websocket ? 'option' : 'server-hint';

  const tasks: Array<Promise<Probe>> = [];
  // The HTTP/1.0 row usually rode on the HTTP/1.1 probe's connection already (probes/run.ts probeHttp1Pair).
  const http10Done = core.some((p) => p.kind === 'h1-request' && p.name === 'http10');
  if (h1ok && !http10Done) tasks.push(go(() => probeH1Request(ctx, 'http10', { version: '1.0' }), "the protocol matrix's HTTP/1.0 row (the HTTP/1.1 probe's connection could not be reused)"));
  if (h1ok && h1.h1.status === 426) tasks.push(go(() => probeH1Request(ctx, 'body-426', { version: '1.1', readBody: true })));
  if (wsPath !== undefined) {
    tasks.push(go(() => probeWebSocket(ctx, { path: wsPath, trigger: wsTrigger, ...(ctx.options.wsProtocols ? { protocols: ctx.options.wsProtocols } : {}) })));
    // RFC 8441 §3: only once the server's SETTINGS enabled extended CONNECT.
    const h2 = http2Answer(core);
    const enabled = h2?.h2.serverSettings?.some((s) => s.id === SETTINGS.ENABLE_CONNECT_PROTOCOL && s.value === 1);
    if (enabled) tasks.push(go(() => probeExtendedConnect(ctx, { path: wsPath, ...(ctx.options.wsProtocols ? { protocols: ctx.options.wsProtocols } : {}) })));
  }
  if (!t.tls && hints.includes('tls')) {
    // RFC 2817 §3.2: ask to switch this connection to TLS.
    tasks.push(go(() => probeH1Request(ctx, 'tls-upgrade', { version: '1.1', method: 'GET', keepOpen: true, headers: [['Upgrade', 'TLS/1.2, HTTP/1.1'], ['Connection', 'Upgrade']] })));
  }
  const first = await Promise.all(tasks);

  const ws = first.find((p): p is Extract<Probe, { kind: 'websocket' }> => p.kind === 'websocket');
  if (ws && wsPath !== undefined && ws.h1.outcome === 'response' && ws.h1.status !== 101 && answeredAsIfNotAsked(ws.h1.status, ws.h1.headers)) {
    const wsFields = ws.request.headers.filter(([k]) => k.toLowerCase() !== 'connection');
    const variants = await Promise.all([
      go(() => probeH1Request(ctx, 'strip-no-connection', { version: '1.1', method: 'GET', path: wsPath, keepOpen: true, headers: wsFields })),
      go(() => probeH1Request(ctx, 'strip-http10', { version: '1.0', method: 'GET', path: wsPath, keepOpen: true, headers: [...wsFields, ['Connection', 'Upgrade']] })),
    ]);
    first.push(...variants);
  }
  return first;
}

/**
 * A 426 naming websocket, or a 2xx: the upgrade request was treated as a plain GET.
 * @example answeredAsIfNotAsked(426, [['upgrade', 'websocket']]) // true
 */
export function answeredAsIfNotAsked(status: number | undefined, headers: ReadonlyArray<readonly [string, string]> | undefined): boolean {
  if (status === undefined) return false;
  if (status >= 200 && status < 300) return true;
  return status === 426 && hintedFamilies(status, headers).includes('websocket');
}

/**
 * The upgrade stage: HTTP/1.0, HTTP/1.1, h2c Upgrade, WebSocket and proxy probes, as the target and answers call for.
 * @example const probes = await UPGRADE_STAGES[0].run(ctx, core, go)
 */
export const UPGRADE_STAGES: ProbeStage[] = [{ name: 'upgrade', run: runUpgrade }];

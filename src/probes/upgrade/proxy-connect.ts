/**
 * The proxy hop as a probe: one CONNECT to the target through the proxy, recorded with the proxy's
 * answer (status, reason, fields such as `Proxy-Authenticate` or `Via`).
 */
import type { Probe } from '../../model/index.js';
import { connectAuthority, connectTunnel, type ProxyConfig, type TunnelResult } from '../../transport/proxy.js';
import type { ProbeContext } from '../context.js';
import { Meter } from '../meter.js';

/**
 * A CONNECT to the target through the proxy: the proxy's answer (status, fields) or the tunnel.
 * @example const p = await probeProxyConnect(ctx, proxyFor(ctx.target, { env: process.env })!); p.kind // 'proxy-connect'
 */
export async function probeProxyConnect(ctx: ProbeContext, proxy: ProxyConfig): Promise<Probe> {
  const m = new Meter(ctx, 'proxy-connect');
  const authority = connectAuthority(ctx.address, ctx.port);
  const t = await connectTunnel(proxy, authority, ctx.timeoutMs, ctx.ca ? { ca: ctx.ca } : {});
  t.socket?.destroy();
  m.sent = t.bytesSent;
  m.received = t.bytesReceived;
  return { kind: 'proxy-connect', name: 'proxy-connect', ...m.common(t.connect), ...proxyAnswer(proxy, authority, t) };
}

/**
 * The proxy's answer to a CONNECT as the probe records it (and trace, through a proxy): the proxy
 * without credentials, the authority asked, the outcome and what the proxy said.
 * @example proxyAnswer(proxy, 'example.com:443', await connectTunnel(proxy, 'example.com:443', 3000)).outcome // 'tunnel'
 */
export function proxyAnswer(proxy: ProxyConfig, authority: string, t: TunnelResult) {
  return {
    proxy: proxy.url,
    authority,
    credentials: proxy.authorization !== undefined,
    outcome: t.outcome,
    detail: t.detail,
    ...(t.status !== undefined ? { status: t.status } : {}),
    ...(t.reason !== undefined ? { reason: t.reason } : {}),
    ...(t.headers ? { headers: t.headers } : {}),
  };
}

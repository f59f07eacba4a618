/**
 * One HTTP/1.x request of the upgrade family: the matrix's HTTP/1.0 row, a 426 read again for its
 * whole body, the server's `Upgrade: TLS/x` hint followed in-band (RFC 2817), and the variants that
 * show where an upgrade is lost. Over TLS (ALPN http/1.1) when the target is https/wss.
 */
import type { Probe } from '../../model/index.js';
import { ByteSink } from '../../transport/conn.js';
import { tlsHandshake } from '../../transport/tls.js';
import { authority, type ProbeContext } from '../context.js';
import { h1Request, readH1Response } from '../h1-exchange.js';
import type { H1Purpose } from '../../model/upgrade-probes.js';
import { requestSent } from './common.js';
import { Meter } from '../meter.js';
import { openStream } from '../open.js';
import { userHeaders } from '../headers.js';
import { readBody } from './body.js';

/**
 * What one HTTP/1.x probe request carries.
 * @example probeH1Request(ctx, 'tls-upgrade', { version: '1.1', headers: [['Connection', 'Upgrade'], ['Upgrade', 'TLS/1.2']], readBody: true })
 */
export interface H1RequestOptions {
  version: '1.0' | '1.1';
  /** Default: the user's -X, else GET. */
  method?: string;
  /** Default: the target's path. */
  path?: string;
  /** Fields the probe sets (upgrade fields); the user's -H are added unless they clash. */
  headers?: Array<[string, string]>;
  /** Read the whole body (bounded) into `body`. */
  readBody?: boolean;
  /** Keep the connection open after the head (an upgrade that may switch). */
  keepOpen?: boolean;
}

/**
 * Most bytes of a response body read with readBody (16 KiB).
 * @example if (body.length >= MAX_BODY) note('body cut at 16 KiB')
 */
export const MAX_BODY = 16 * 1024;

/**
 * One HTTP/1.x request (the user's -H added unless they clash with the probe's own fields) and its answer; never throws.
 * @example const p = await probeH1Request(ctx, 'http10', { version: '1.0' }); p.kind // 'h1-request'
 */
export async function probeH1Request(ctx: ProbeContext, name: H1Purpose, o: H1RequestOptions): Promise<Probe> {
  const m = new Meter(ctx, name);
  const method = o.method ?? ctx.options.method ?? 'GET';
  const path = o.path ?? ctx.target.path;
  const own = o.headers ?? [];
  const headers = [...own, ...userHeaders(ctx, '1.1', own.map(([k]) => k))];
  const request = requestSent(method, path, o.version, headers);
  const c = await openStream(m, ctx.target.tls ? ['http/1.1'] : null);
  try {
    if (!c.stream) {
      return { kind: 'h1-request', name, ...m.common(c.connect), request, ...(c.tls ? { tls: c.tls } : {}), h1: { outcome: 'closed' } };
    }
    const sink = new ByteSink(c.stream, ctx.byteBudget);
    c.write(h1Request({ method, path, host: authority(ctx), userAgent: ctx.userAgent, version: o.version, headers, ...(o.keepOpen ? { keepOpen: true } : {}) }));
    const h1 = await readH1Response(sink, { deadline: m.deadline, bodyPreview: o.readBody ? 0 : 512 });
    const headLength = h1.headLength;
    delete h1.headLength;
    const out: Extract<Probe, { kind: 'h1-request' }> = { kind: 'h1-request', name, ...m.common(c.connect), request, ...(c.tls ? { tls: c.tls } : {}), h1 };
    if (h1.outcome === 'response' && headLength !== undefined) {
      if (o.readBody && h1.status !== 101 && method !== 'HEAD') {
        out.body = await readBody(sink, headLength, h1.headers ?? [], Math.min(m.deadline, performance.now() + 1000), MAX_BODY);
        if (!h1.bodyPreview) h1.bodyPreview = out.body.slice(0, 512);
      }
      if (name === 'tls-upgrade' && h1.status === 101 && c.stream && !ctx.target.tls) {
        // RFC 2817 §3.3: after 101 the TLS handshake starts on the same connection.
        const hs = await tlsHandshake(c.stream as import('../../transport/conn.js').Socket, {
          sni: ctx.target.sni,
          verifyHost: ctx.target.host,
          alpn: ['http/1.1'],
          ...(ctx.ca ? { ca: ctx.ca } : {}),
          deadline: m.deadline,
          onOut: (b) => (m.sent += b.length),
        });
        out.afterSwitch = hs.result;
        hs.secure?.destroy();
      }
    }
    Object.assign(out, m.common(c.connect));
    return out;
  } finally {
    c.close();
  }
}

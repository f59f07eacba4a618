/**
 * The user's `-H` headers as every probe family sends them: one filter, so a header is sent by all
 * of them or by none (the core HTTP/1.1 and HTTP/2 probes, the h2c upgrade, the upgrade family's
 * HTTP/1.x requests, the WebSocket handshake and extended CONNECT).
 */
import type { ProbeContext } from './context.js';

/**
 * Fields no probe takes from the user: the authority is the target's (Host / :authority), and the
 * probes send no request body, so the framing is theirs (a user's `Content-Length: 10` on a bodyless
 * request would leave the server waiting for ten bytes that never come).
 * @example PROBE_OWNED_FIELDS.includes('content-length') // true
 */
export const PROBE_OWNED_FIELDS: readonly string[] = Object.freeze(['host', 'content-length', 'transfer-encoding']);

/**
 * RFC 9113 §8.2.2: connection-specific fields make an HTTP/2 request malformed (`te` is allowed only
 * as "trailers", which a probe never needs); `http2-settings` belongs to the h2c upgrade alone (RFC 7540 §3.2.1).
 * @example H2_CONNECTION_SPECIFIC.includes('keep-alive') // true
 */
export const H2_CONNECTION_SPECIFIC: readonly string[] = Object.freeze(['connection', 'upgrade', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'http2-settings']);

/**
 * The user's `-H` headers for one request: without the fields the probes own, without the fields
 * this probe sets itself (`reserved`, any case), and for HTTP/2 without connection-specific fields
 * and with lower-case names (RFC 9113 §8.2.1). Order and repeats are kept.
 * @example
 * filterUserHeaders([['Content-Length', '3'], ['X-Trace', '1']], '2') // [['x-trace', '1']]
 */
export function filterUserHeaders(headers: ReadonlyArray<readonly [string, string]> | undefined, http: '1.1' | '2', reserved: readonly string[] = []): Array<[string, string]> {
  const drop = new Set([...PROBE_OWNED_FIELDS, ...(http === '2' ? H2_CONNECTION_SPECIFIC : []), ...reserved.map((r) => r.toLowerCase())]);
  const kept = (headers ?? []).filter(([k]) => !drop.has(k.toLowerCase()));
  return kept.map(([k, v]) => [http === '2' ? k.toLowerCase() : k, v]);
}

/**
 * {@link filterUserHeaders} on the diagnosis's own `-H` headers (`ctx.options.headers`): what every probe calls.
 * @example
 * userHeaders(ctx, '1.1', ['Upgrade', 'Connection']) // the user's fields a WebSocket handshake adds to its own
 */
export function userHeaders(ctx: Pick<ProbeContext, 'options'>, http: '1.1' | '2', reserved: readonly string[] = []): Array<[string, string]> {
  return filterUserHeaders(ctx.options.headers, http, reserved);
}

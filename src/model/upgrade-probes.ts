/**
 * Evidence records of the upgrade family's probes: the HTTP/1.x requests of the protocol matrix and
 * of the 426 follow-up, the WebSocket handshakes (HTTP/1.1, RFC 6455, and HTTP/2 extended CONNECT,
 * RFC 8441), and the proxy's CONNECT tunnel. Plain JSON data, replayable into the rules.
 */
import type { Http1Result, Http2Result, ProbeCommon, TlsResult } from './results.js';

/** What an HTTP/1.x probe sent, so a reader (and a rule) can tell the variants apart. */
export interface RequestSent {
  method: string;
  path: string;
  /** "1.0" or "1.1". */
  version: '1.0' | '1.1';
  /** Header fields beyond Host / User-Agent / Accept, in order (a WebSocket key included). */
  headers: Array<[string, string]>;
}

/**
 * Why an HTTP/1.x request of the family was made:
 * - `http10`: the protocol matrix's HTTP/1.0 row;
 * - `body-426`: the 426 again, to read its whole body (Problem Details);
 * - `tls-upgrade`: the server's `Upgrade: TLS/x` hint followed in-band (RFC 2817 §3);
 * - `strip-no-connection` / `strip-http10`: a WebSocket upgrade without `Connection: Upgrade`, or as
 *   HTTP/1.0, to show which hop loses the upgrade.
 */
export type H1Purpose = 'http10' | 'body-426' | 'tls-upgrade' | 'strip-no-connection' | 'strip-http10';

export interface WsRoundTrip {
  /** What we sent after the 101: a ping (RFC 6455 §5.5.2), then a close (§5.5.1). */
  sent: 'ping';
  /**
   * How the server answered the ping. `flood`: frames (or bytes, past the byte budget) kept coming
   * and none was the pong.
   */
  outcome: 'pong' | 'close' | 'other-frame' | 'eof' | 'timeout' | 'protocol-error' | 'flood';
  /** The close code the server sent, if it closed. */
  closeCode?: number;
  /** A frame we did not expect, the decoder's error, what flooded, or how long we waited. */
  detail?: string;
}

export interface WsHandshakeCheck {
  ok: boolean;
  /** Problems by RFC 6455 §4.1 / RFC 8441 §5 (`status-not-101`, `accept-mismatch`, `protocol-none-selected`…). */
  problems: Array<{ code: string; fatal: boolean; message: string }>;
  /** The subprotocol the server selected. */
  protocol?: string;
  /** Extension names the server accepted. */
  extensions: string[];
}

export type UpgradeFamilyProbe =
  | (ProbeCommon & {
      kind: 'h1-request';
      name: H1Purpose;
      request: RequestSent;
      tls?: TlsResult;
      h1: Http1Result;
      /** The whole body, de-chunked, bounded (16 KiB), when the purpose needs it (`body-426`). */
      body?: string;
      /** `tls-upgrade`: what the TLS handshake after a 101 gave. */
      afterSwitch?: TlsResult;
    })
  | (ProbeCommon & {
      kind: 'websocket';
      /** `ws-upgrade`: a correct RFC 6455 handshake (ws/wss targets, --websocket, or a 426's hint). */
      name: 'ws-upgrade';
      request: RequestSent;
      /** Why this handshake was tried. */
      trigger: 'target' | 'option' | 'server-hint';
      tls?: TlsResult;
      h1: Http1Result;
      handshake?: WsHandshakeCheck;
      roundTrip?: WsRoundTrip;
    })
  | (ProbeCommon & {
      kind: 'ws-h2';
      /** RFC 8441 extended CONNECT over HTTP/2 (TLS with ALPN h2, or h2c by prior knowledge). */
      name: 'ws-extended-connect';
      path: string;
      tls?: TlsResult;
      /** SETTINGS_ENABLE_CONNECT_PROTOCOL as the server sent it (0 when absent); undefined without SETTINGS. */
      enableConnectProtocol?: number;
      h2: Http2Result;
      handshake?: WsHandshakeCheck;
      /** A WebSocket ping sent inside the tunnel (DATA frames on the CONNECT stream) after the 2xx. */
      roundTrip?: WsRoundTrip;
    })
  | (ProbeCommon & {
      /**
       * `--compare-direct`: what the direct path (no proxy) showed, kept beside the proxied probes so
       * the comparison replays from the report alone. Times and bytes are the direct path's totals.
       */
      kind: 'direct-path';
      name: 'direct-path';
      /** The address the direct path reached. */
      directAddress: string;
      /** The direct path's default TLS handshake (ALPN h2, http/1.1), with its certificate. */
      tls?: TlsResult;
      /** Direct HTTP/2 and HTTP/1.1 answers in one line: `HTTP/2 200`, or how the exchange ended. */
      h2Answer?: string;
      h1Answer?: string;
      /** How many probes the direct path ran. */
      probes: number;
    })
  | (ProbeCommon & {
      kind: 'proxy-connect';
      name: 'proxy-connect';
      /** The proxy, credentials removed. */
      proxy: string;
      /** The authority we asked a tunnel to. */
      authority: string;
      /** Whether a Proxy-Authorization was sent (never its value). */
      credentials: boolean;
      /** `head-too-large`: an HTTP answer whose head does not end within the limit (16 KiB). */
      outcome: 'tunnel' | 'refused' | 'connect-failed' | 'closed' | 'timeout' | 'not-http' | 'head-too-large';
      status?: number;
      reason?: string;
      headers?: Array<[string, string]>;
      /** One line for humans. */
      detail: string;
    });

/** The proxy hop of a proxied diagnosis (`Report.proxy`). */
export interface ProxyHop {
  /** The proxy URL, credentials removed. */
  url: string;
  /** `--proxy`, or the environment variable it came from (`HTTPS_PROXY`, `http_proxy`…). */
  source: string;
  /** Credentials were sent (from the URL's userinfo); never their value. */
  credentials: boolean;
  /** With `--compare-direct`: what the direct path gives, for comparison. */
  direct?: { protocol: 'h2' | 'h2c' | 'http/1.1' | null; alpn?: string | null; findingCodes: string[]; addresses: string[] };
}

/** One row of the protocol matrix (`Report.matrix`): the same request over one protocol. */
export interface MatrixRow {
  address: string;
  protocol: 'HTTP/1.0' | 'HTTP/1.1' | 'HTTP/2';
  /** How it was reached: `tls`, `cleartext`, `h2c prior knowledge`, `h2c upgrade`. */
  via: string;
  /** The response status, when there was a response. */
  status?: number;
  /** `response`, or how the exchange ended (`closed`, `timeout`, …). */
  outcome: string;
  /** Key response fields: content-type, server, upgrade, location, via, deprecation, sunset. */
  headers: Record<string, string>;
  probe: string;
}

/** One-line descriptions of probes, shared by renderers. */
import type { Probe } from '../model/index.js';

/** Families describe their own probe kinds here (a `switch` on `p.kind`). */
function describeFamilyProbe(p: Probe): string {
  switch (p.kind) {
    case 'tls-raw': {
      const r = p.raw;
      const o = r.offer;
      const offer = `${o.versions.join('/')}${o.ciphers && o.ciphers.length <= 3 ? ` ${o.ciphers.join(',')}` : ` ${o.cipherCount} suites`}${o.alpn ? ` ALPN ${o.alpn.join(',')}` : ''}${o.sni ? '' : ' no SNI'}`;
      const got =
        r.outcome === 'server-hello'
          ? `${r.version} ${r.cipher ?? ''}${r.group ? ` ${r.group}` : ''}${r.alpn !== undefined ? ` ALPN ${r.alpn ?? 'none'}` : ''}${r.certificateRequest ? ' +CertificateRequest' : ''}`
          : r.outcome === 'hello-retry'
            ? `HelloRetryRequest for ${r.group}`
            : r.outcome === 'alert'
              ? `alert ${r.alert?.name} (${r.alert?.code})`
              : r.outcome;
      return `raw hello ${p.label} [${offer}] → ${got}`;
    }
    case 'tls-stage': {
      const s = p.stage;
      return `TLS stage: ${s.plan}, ${s.connections} connection(s)${s.alpn13 ? `; TLS 1.3 ALPN read from decrypted EncryptedExtensions: ${s.alpn13.alpn ?? 'none'}` : ''}`;
    }
    case 'h1-request': {
      const h = p.h1;
      const label = { http10: 'HTTP/1.0 request', 'body-426': '426 re-read for its body', 'tls-upgrade': 'Upgrade: TLS/1.2 (RFC 2817)', 'strip-no-connection': 'WebSocket upgrade without Connection: Upgrade', 'strip-http10': 'WebSocket upgrade as HTTP/1.0' }[p.name];
      const got = h.outcome === 'response' ? `HTTP/${h.version} ${h.status} ${h.reason ?? ''}`.trim() : (h.first?.summary ?? h.outcome);
      const after = p.afterSwitch ? `, then TLS ${p.afterSwitch.outcome === 'handshake' ? p.afterSwitch.version : p.afterSwitch.outcome}` : '';
      const body = p.body !== undefined ? ` (${p.body.length} characters of body)` : '';
      return `${label}: ${p.request.method} ${p.request.path} → ${got}${after}${body}`;
    }
    case 'websocket': {
      const h = p.h1;
      if (h.outcome !== 'response') return `WebSocket handshake ${p.request.path}: ${h.first?.summary ?? h.outcome}`;
      const hs = p.handshake;
      const check = hs ? (hs.ok ? `valid${hs.protocol ? `, subprotocol ${hs.protocol}` : ''}${hs.extensions.length ? `, extensions ${hs.extensions.join(',')}` : ''}` : hs.problems.map((x) => x.code).join(', ')) : '';
      return `WebSocket handshake ${p.request.path}: ${h.status} ${h.reason ?? ''}${check ? ` (${check})` : ''}${p.roundTrip ? `; ping → ${p.roundTrip.outcome}` : ''}`.replace(/\s+\(/, ' (');
    }
    case 'ws-h2': {
      const x = p.h2;
      const setting = p.enableConnectProtocol === undefined ? 'no SETTINGS' : `ENABLE_CONNECT_PROTOCOL=${p.enableConnectProtocol}`;
      const res = x.outcome === 'response' ? `CONNECT :protocol websocket ${p.path} → ${x.status}${p.handshake ? (p.handshake.ok ? ' (valid)' : ` (${p.handshake.problems.map((q) => q.code).join(', ')})`) : ''}` : x.outcome === 'settings-no-response' ? 'not tried' : x.outcome;
      return `RFC 8441 over HTTP/2: ${setting}; ${res}${p.roundTrip ? `; ping in the tunnel → ${p.roundTrip.outcome}` : ''}`;
    }
    case 'direct-path': {
      const t = p.tls;
      const tls = t ? (t.outcome === 'handshake' ? `TLS ${t.version}, ALPN → ${t.alpn ?? 'none'}${t.cert ? `, certificate issued by ${t.cert.issuer}` : ''}` : `TLS ${t.outcome}`) : 'no TLS';
      return `direct path (no proxy) to ${p.directAddress}, ${p.probes} probes: ${tls}${p.h2Answer ? `; ${p.h2Answer}` : ''}${p.h1Answer ? `; ${p.h1Answer}` : ''}`;
    }
    case 'proxy-connect':
      return `proxy ${p.proxy}${p.credentials ? ' (with credentials)' : ''}: ${p.detail}`;
    default:
      return p.kind;
  }
}

/**
 * One line for what a probe did and got (the report's probe list).
 * @example describeProbe(tcp) // 'TCP connected in 0.4 ms'
 */
export function describeProbe(p: Probe): string {
  if (!p.connect.ok) return `TCP ${p.connect.error}: ${p.connect.errno ?? ''} ${p.connect.message}`.trim();
  switch (p.kind) {
    case 'tcp':
      return `TCP connected in ${p.connect.ms} ms`;
    case 'tls': {
      const t = p.tls;
      const tail = p.first && t.outcome !== 'handshake' ? ` — server sent: ${p.first.summary}` : '';
      return tlsLine(t) + tail;
    }
    case 'h2': {
      const pre = p.tls ? `${tlsLine(p.tls)}; ` : '';
      if (p.tls && p.tls.outcome !== 'handshake') return pre.replace(/; $/, '');
      const h = p.h2;
      if (h.outcome === 'response') return `${pre}HTTP/2 ${h.status}`;
      return `${pre}HTTP/2 ${h.outcome}${h.first ? `: ${h.first.summary}` : ''}${h.detail ? ` (${h.detail})` : ''}`;
    }
    case 'h1': {
      const pre = p.tls ? `${tlsLine(p.tls)}; ` : '';
      if (p.tls && p.tls.outcome !== 'handshake') return pre.replace(/; $/, '');
      const h = p.h1;
      if (h.outcome === 'response') return `${pre}HTTP/${h.version} ${h.status} ${h.reason ?? ''}`.trim();
      return `${pre}HTTP/1.1 ${h.outcome}${h.first ? `: ${h.first.summary}` : ''}`;
    }
    case 'h2c-upgrade': {
      const u = p.upgrade;
      if (u.outcome !== 'response') return `Upgrade: h2c → ${u.first?.summary ?? u.outcome}`;
      if (u.status !== 101) return `Upgrade: h2c → HTTP/${u.version} ${u.status} ${u.reason ?? ''} (not switched)`.trim();
      const h = p.h2;
      return `Upgrade: h2c → 101, then ${h ? (h.outcome === 'response' ? `HTTP/2 ${h.status}` : `${h.outcome}${h.first ? `: ${h.first.summary}` : ''}`) : 'nothing'}`;
    }
    default:
      return describeFamilyProbe(p);
  }
}

function tlsLine(t: NonNullable<Extract<Probe, { kind: 'tls' }>['tls']>): string {
  const offered = t.offeredAlpn.length ? `[${t.offeredAlpn.join(',')}]` : '[]';
  switch (t.outcome) {
    case 'handshake':
      return `TLS ${t.version} ${t.cipher?.standardName ?? ''}, ALPN ${offered} → ${t.alpn ?? 'none'}${t.verify && !t.verify.ok ? `, cert: ${t.verify.code}` : ''}`;
    case 'alert':
      return `TLS ALPN ${offered}: alert ${t.alert?.name} (${t.alert?.code})`;
    default:
      return `TLS ${t.outcome}${t.error ? ` (${t.error.code})` : ''}`;
  }
}

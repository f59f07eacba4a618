/** One-line descriptions of probes, shared by renderers. */
import type { Probe } from '../types.js';

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
    default:
      return p.kind;
  }
}

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

import { describe, expect, it } from 'vitest';
import { applyConfigChange, configKey } from './config-change.js';

describe('applyConfigChange', () => {
  it('replaces a directive of the same name, adds a new one, keeps the rest in order', () => {
    const before = ['listen 127.0.0.1:8443 ssl;', 'ssl_protocols TLSv1 TLSv1.1;', 'location / { return 200; }'];
    expect(applyConfigChange(before, { block: 'server', set: ['ssl_protocols TLSv1.2 TLSv1.3;', 'ssl_ecdh_curve X25519;'] })).toEqual([
      'listen 127.0.0.1:8443 ssl;',
      'ssl_protocols TLSv1.2 TLSv1.3;',
      'location / { return 200; }',
      'ssl_ecdh_curve X25519;',
    ]);
  });

  it('keys repeating directives by name and first argument', () => {
    expect(configKey('add_header Upgrade "HTTP/2.0" always;')).toBe('add_header upgrade');
    expect(configKey('ProxyPass "/chat" "http://b/chat"')).toBe('proxypass /chat');
    const out = applyConfigChange(['add_header Upgrade "x";', 'add_header Via "y";'], { block: 'server', set: ['add_header Upgrade "HTTP/2.0" always;'] });
    expect(out).toEqual(['add_header Upgrade "HTTP/2.0" always;', 'add_header Via "y";']);
  });

  it('appends a parameter to a line, before nginx\'s semicolon, once', () => {
    const change = { block: 'server' as const, append: [{ to: 'listen', add: 'http2' }] };
    expect(applyConfigChange(['listen 127.0.0.1:8443 ssl;'], change)).toEqual(['listen 127.0.0.1:8443 ssl http2;']);
    expect(applyConfigChange(['listen 127.0.0.1:8443 ssl http2;'], change)).toEqual(['listen 127.0.0.1:8443 ssl http2;']);
    expect(applyConfigChange(['ProxyPass "/" "http://127.0.0.1:9/"'], { block: 'virtualhost', append: [{ to: 'ProxyPass', add: 'upgrade=websocket' }] })).toEqual(['ProxyPass "/" "http://127.0.0.1:9/" upgrade=websocket']);
  });

  it('removes every line of a name (case-insensitive, as Apache reads them)', () => {
    expect(applyConfigChange(['ssl-max-ver TLSv1.1', 'alpn h2'], { block: 'bind', remove: ['ssl-max-ver'] })).toEqual(['alpn h2']);
    expect(applyConfigChange(['SSLProtocol -all +TLSv1.1'], { block: 'virtualhost', set: ['SSLProtocol -all +TLSv1.2 +TLSv1.3'] })).toEqual(['SSLProtocol -all +TLSv1.2 +TLSv1.3']);
  });
  it('keeps OpenSSL configuration commands apart by their command: one is set or removed, the others stay', () => {
    const nginx = ['ssl_conf_command Options PrioritizeChaCha;', 'ssl_conf_command SignatureAlgorithms ed25519;', 'ssl_protocols TLSv1.2;'];
    expect(applyConfigChange(nginx, { block: 'server', set: ['ssl_protocols TLSv1.2 TLSv1.3;'], remove: ['ssl_conf_command SignatureAlgorithms'] })).toEqual(['ssl_conf_command Options PrioritizeChaCha;', 'ssl_protocols TLSv1.2 TLSv1.3;']);
    const apache = ['SSLOpenSSLConfCmd SignatureAlgorithms ed25519', 'SSLOpenSSLConfCmd Curves X448'];
    expect(applyConfigChange(apache, { block: 'virtualhost', set: ['SSLOpenSSLConfCmd Curves X25519:prime256v1'] })).toEqual(['SSLOpenSSLConfCmd SignatureAlgorithms ed25519', 'SSLOpenSSLConfCmd Curves X25519:prime256v1']);
    expect(applyConfigChange(apache, { block: 'virtualhost', remove: ['sslopensslconfcmd  signaturealgorithms'] })).toEqual(['SSLOpenSSLConfCmd Curves X448']);
    // A name alone still removes every line of it.
    expect(applyConfigChange(apache, { block: 'virtualhost', remove: ['SSLOpenSSLConfCmd'] })).toEqual([]);
  });
});

describe('Fix.config in the knowledge', () => {
  it('says what its snippet says: every line it sets, and every parameter it appends, is in the snippet a person copies', async () => {
    const { KNOWLEDGE } = await import('./knowledge.js');
    const { varsFor } = await import('./index.js');
    const { parseTarget } = await import('../model/target.js');
    const wrong: string[] = [];
    let n = 0;
    const servers = [
      undefined,
      { kind: 'nginx', version: '1.22.1', header: 'nginx/1.22.1' },
      { kind: 'nginx', version: '1.27.0', header: 'nginx/1.27.0' },
      { kind: 'lighttpd', version: '1.4.69', header: 'lighttpd/1.4.69' },
      { kind: 'lighttpd', version: '1.4.45', header: 'lighttpd/1.4.45' },
      { kind: 'h2o', version: '2.2.5', header: 'h2o/2.2.5' },
      { kind: 'squid', version: '5.7', header: 'squid/5.7' },
      { kind: 'squid', version: '4.13', header: 'squid/4.13' },
    ];
    for (const server of servers) {
      for (const url of ['https://example.test:8443/ws', 'http://example.test:8080/']) {
        const v = varsFor(parseTarget(url), undefined, 'the server accepts no cipher suite at all', server ? { server } : {});
        for (const [code, k] of Object.entries(KNOWLEDGE)) {
          for (const f of k!.fixes(v)) {
            if (!f.config) continue;
            n++;
            // A server's or a proxy's configuration (squid), never a client's.
            if (f.side === 'client') wrong.push(`${code}: a config on a ${f.side} fix`);
            for (const line of f.config.set ?? []) if (!f.snippet?.includes(line.trim())) wrong.push(`${code} [${f.applies}]: "${line}" not in the snippet`);
            for (const a of f.config.append ?? []) if (!f.snippet?.includes(a.add)) wrong.push(`${code} [${f.applies}]: appended "${a.add}" not in the snippet`);
          }
        }
      }
    }
    expect(n).toBeGreaterThan(20);
    expect(wrong).toEqual([]);
  });
});

describe('no placeholder in fixes and reproduce commands', () => {
  it('names no ADDRESS, HOST or PROXYHOST: the target, its port and addresses are filled in', async () => {
    const { KNOWLEDGE } = await import('./knowledge.js');
    const { varsFor } = await import('./index.js');
    const { parseTarget } = await import('../model/target.js');
    const v = varsFor(parseTarget('https://example.test:8443/'), '192.0.2.7', '192.0.2.7 → h2; 192.0.2.8 → http/1.1', { proxy: 'http://proxy.test:3128' });
    const bad: string[] = [];
    for (const [code, k] of Object.entries(KNOWLEDGE)) {
      for (const f of k!.fixes(v)) for (const t of [f.text, f.snippet ?? '']) if (/\bADDRESS\b|\bHOST\b|PROXYHOST/.test(t)) bad.push(`${code} fix: ${t}`);
      for (const r of k!.reproduce(v)) if (/\bADDRESS\b|\bHOST\b|PROXYHOST|\$HTTPS_PROXY/.test(r)) bad.push(`${code} reproduce: ${r}`);
    }
    expect(bad).toEqual([]);
  });

  it('names no <placeholder> in titles, explanations, fixes or reproduce commands, with or without the names and addresses the evidence gave', async () => {
    const { KNOWLEDGE } = await import('./knowledge.js');
    const { varsFor } = await import('./index.js');
    const { parseTarget } = await import('../model/target.js');
    const bad: string[] = [];
    const facts = [undefined, { names: ['www.example.test', '*.example.test'], addresses: ['192.0.2.8', '2001:db8::8'] }, { names: ['*.example.test'] }];
    for (const url of ['https://example.test:8443/', 'ws://example.test:8080/chat']) {
      for (const f of facts) {
        const v = varsFor(parseTarget(url), '192.0.2.7', 'example.test refused with unrecognized_name (112)', { proxy: 'http://proxy.test:3128' });
        if (f) v.facts = f;
        for (const [code, k] of Object.entries(KNOWLEDGE)) {
          const texts = [k!.title(v), k!.explanation(v), ...k!.fixes(v).flatMap((x) => [x.text, x.snippet ?? '']), ...k!.reproduce(v)];
          // <configured name>, <the address it resolves>, <url>; not </dev/null nor <VirtualHost *:443>.
          for (const t of texts) for (const m of t.matchAll(/<(?!\/)[a-z][a-z ]*>/g)) bad.push(`${code}${f ? ' (with facts)' : ''}: ${m[0]} in "${t.slice(0, 80)}…"`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('fills tls-sni-unknown-name and vantage-points-disagree from the evidence: the names the certificate covers, the addresses reached', async () => {
    const { buildFinding } = await import('./index.js');
    const { parseTarget } = await import('../model/target.js');
    const t = parseTarget('https://app.example.test:8443/');
    const sni = buildFinding('tls-sni-unknown-name', { code: 'tls-sni-unknown-name', evidence: [], detail: 'app.example.test refused with unrecognized_name (112)', facts: { names: ['*.other.test', 'default.example.test'] } }, t, [], [], '192.0.2.7');
    const client = sni.fixes.find((f) => f.side === 'client')!;
    expect(client.snippet).toBe('h2doctor https://app.example.test:8443/ --sni default.example.test\ncurl -v --connect-to default.example.test:8443:192.0.2.7:8443 https://default.example.test:8443/');
    expect(sni.explanation).toContain('--sni default.example.test');
    const none = buildFinding('tls-sni-unknown-name', { code: 'tls-sni-unknown-name', evidence: [] }, t, [], []);
    expect(none.fixes.find((f) => f.side === 'client')!.snippet).toBeUndefined();
    const vantage = buildFinding('vantage-points-disagree', { code: 'vantage-points-disagree', evidence: [], facts: { addresses: ['192.0.2.8', '2001:db8::8'] } }, t, [], []);
    expect(vantage.fixes.find((f) => f.side === 'client')!.snippet).toBe('curl -v --resolve app.example.test:8443:192.0.2.8 https://app.example.test:8443/\ncurl -v --resolve app.example.test:8443:[2001:db8::8] https://app.example.test:8443/');
  });
});

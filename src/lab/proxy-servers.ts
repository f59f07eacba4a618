/**
 * Intermediaries for lab scenarios: an HTTP CONNECT proxy (with Basic credentials, a refusing mode,
 * and a TLS-intercepting mode that re-signs with the lab CA), and a reverse proxy that strips the
 * upgrade fields the way a misconfigured nginx does.
 */
import net from 'node:net';
import tls from 'node:tls';
import { listen, readRequestHead, type Listening } from './servers.js';
import { HOST } from './helpers.js';

export interface ConnectProxyOptions {
  /** `user:password` the proxy requires (407 without it). */
  credentials?: string;
  /** Refuse every CONNECT with this status (e.g. 403). */
  refuse?: number;
  /**
   * Terminate TLS inside the tunnel with this certificate and re-encrypt to the target (a
   * TLS-inspecting proxy). `alpn` is what it offers the client.
   */
  intercept?: { cert: string; key: string; alpn: string[] };
}

/** A CONNECT proxy on loopback. Tunnels go to 127.0.0.1 whatever the name asked (the lab is loopback only). */
export async function connectProxy(o: ConnectProxyOptions = {}): Promise<Listening> {
  const server = net.createServer((client) => {
    client.on('error', () => {});
    client.once('data', async (first: Buffer) => {
      const req = await readRequestHead(client, first);
      if (!req) return client.destroy();
      const m = /^CONNECT ([^\s]+) HTTP\/1\.[01]/.exec(req.head);
      if (!m) return client.end('HTTP/1.1 405 Method Not Allowed\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      if (o.refuse) return client.end(`HTTP/1.1 ${o.refuse} Forbidden\r\nVia: 1.1 lab-proxy\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      if (o.credentials) {
        const auth = /^proxy-authorization:\s*Basic\s+(\S+)/im.exec(req.head)?.[1];
        if (!auth || Buffer.from(auth, 'base64').toString() !== o.credentials) {
          return client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="lab"\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
        }
      }
      const port = Number(/:(\d+)$/.exec(m[1]!)?.[1]);
      const upstream = net.connect({ host: HOST, port });
      upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\ncontent-length: 0\r\n\r\n'));
      upstream.once('connect', () => {
        client.write('HTTP/1.1 200 Connection established\r\nVia: 1.1 lab-proxy\r\n\r\n');
        if (!o.intercept) {
          if (req.rest.length) upstream.write(req.rest);
          client.pipe(upstream).pipe(client);
          return;
        }
        // TLS inspection: our certificate to the client, a fresh TLS connection to the target.
        const inner = new tls.TLSSocket(client, { isServer: true, cert: o.intercept.cert, key: o.intercept.key, ALPNProtocols: o.intercept.alpn });
        inner.on('error', () => upstream.destroy());
        inner.once('secure', () => {
          const alpn = inner.alpnProtocol || 'http/1.1';
          const out = tls.connect({ socket: upstream, servername: 'localhost', rejectUnauthorized: false, ALPNProtocols: [alpn] });
          out.on('error', () => inner.destroy());
          inner.pipe(out).pipe(inner);
        });
        if (req.rest.length) client.unshift(req.rest);
      });
      client.on('close', () => upstream.destroy());
    });
  });
  return listen(server, HOST);
}

/**
 * A reverse proxy that forwards each request to `backendPort` without its hop-by-hop fields
 * (Upgrade, Connection…), as HTTP/1.0 when `http10Upstream`, adding `Via: 1.1 lab-proxy`.
 */
export async function strippingProxy(backendPort: number, o: { http10Upstream?: boolean } = {}): Promise<Listening> {
  const server = net.createServer((client) => {
    client.on('error', () => {});
    client.once('data', async (first: Buffer) => {
      const req = await readRequestHead(client, first);
      if (!req) return client.destroy();
      const [line, ...fields] = req.head.split('\r\n');
      // RFC 9110 §7.6.1: hop-by-hop fields, and the ones Connection names, are not forwarded.
      const named = new Set(fields.filter((f) => /^connection:/i.test(f)).flatMap((f) => f.slice(f.indexOf(':') + 1).split(',').map((x) => x.trim().toLowerCase())));
      const hop = new Set(['connection', 'upgrade', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', ...named]);
      const kept = fields.filter((f) => !hop.has(f.slice(0, f.indexOf(':')).trim().toLowerCase()));
      const reqLine = o.http10Upstream ? line!.replace(/HTTP\/1\.1$/, 'HTTP/1.0') : line!;
      const upstream = net.connect({ host: HOST, port: backendPort });
      upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\ncontent-length: 0\r\n\r\n'));
      upstream.write([reqLine, ...kept, 'Via: 1.1 lab-proxy', 'Connection: close', '', ''].join('\r\n'));
      if (req.rest.length) upstream.write(req.rest);
      // Add Via to the response head, then pass the rest through.
      let head = Buffer.alloc(0);
      let passed = false;
      upstream.on('data', (c: Buffer) => {
        if (passed) return void client.write(c);
        head = Buffer.concat([head, c]);
        const i = head.indexOf('\r\n\r\n');
        if (i < 0) return;
        passed = true;
        client.write(Buffer.concat([head.subarray(0, i), Buffer.from('\r\nVia: 1.1 lab-proxy'), head.subarray(i)]));
      });
      upstream.on('end', () => client.end());
      client.on('close', () => upstream.destroy());
    });
  });
  return listen(server, HOST);
}

// Node 20 clients for the client-simulation harness: node probe.mjs <https|http2|fetch|grpc> <url> <ca.pem>
// GET the URL trusting ca.pem and print one JSON line with the negotiated version, cipher, ALPN
// and protocol, or the error. fetch reads the socket through undici's diagnostics channel.
import fs from 'node:fs';
import https from 'node:https';
import http2 from 'node:http2';
import dc from 'node:diagnostics_channel';

const [mode, url, caFile] = process.argv.slice(2);
const ca = caFile ? fs.readFileSync(caFile, 'utf8') : undefined;
const out = { client: `node-${mode}` };
const tlsOf = (s) => (s && s.getProtocol ? { version: s.getProtocol(), cipher: s.getCipher()?.standardName, alpn: s.alpnProtocol || null } : {});
const done = () => {
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
};
setTimeout(() => ((out.error = 'timeout'), done()), 8000).unref();
try {
  if (mode === 'https') {
    const req = https.get(url, { ca, agent: false }, (res) => {
      Object.assign(out, { proto: `HTTP/${res.httpVersion}` }, tlsOf(res.socket));
      res.resume();
      res.on('end', done);
    });
    req.on('error', (e) => ((out.error = e.code ?? e.message), done()));
  } else if (mode === 'http2') {
    const u = new URL(url);
    const s = http2.connect(u.origin, { ca });
    s.on('error', (e) => ((out.error = e.code ?? e.message), done()));
    const r = s.request({ ':path': u.pathname });
    r.on('response', () => Object.assign(out, { proto: 'HTTP/2.0' }, tlsOf(s.socket)));
    r.on('error', (e) => ((out.error = e.code ?? e.message), done()));
    r.resume();
    r.on('end', () => (s.close(), done()));
    r.end();
  } else if (mode === 'fetch') {
    // NODE_EXTRA_CA_CERTS carries the CA for fetch (set by the caller).
    dc.channel('undici:client:connected').subscribe(({ socket }) => Object.assign(out, tlsOf(socket)));
    const r = await fetch(url);
    await r.text();
    out.proto = 'HTTP/1.1';
    done();
  } else if (mode === 'grpc') {
    // grpc-js opens its TLS socket with tls.connect (then node:http2 over it): read what it negotiated there.
    const tls = (await import('node:tls')).default;
    const connect = tls.connect;
    tls.connect = (...a) => {
      const s = connect(...a);
      s.once('secureConnect', () => Object.assign(out, tlsOf(s)));
      return s;
    };
    const grpc = await import('@grpc/grpc-js');
    const u = new URL(url);
    const creds = u.protocol === 'https:' ? grpc.credentials.createSsl(Buffer.from(ca ?? '')) : grpc.credentials.createInsecure();
    const c = new grpc.Client(u.host, creds);
    c.makeUnaryRequest('/h2doctor.Probe/Ping', (x) => x, (x) => x, Buffer.alloc(0), { deadline: Date.now() + 5000 }, (err) => {
      out.code = err ? err.code : 0;
      // UNAVAILABLE (14): no HTTP/2 connection. Any other status came back over HTTP/2 (a web server
      // that is not a gRPC service answers, and the call ends without grpc-status: INTERNAL / UNKNOWN).
      if (err?.code === grpc.status.UNAVAILABLE) out.error = err.details;
      else Object.assign(out, { proto: 'HTTP/2.0', ...(err ? { rpc: err.details } : {}) });
      c.close();
      done();
    });
  } else throw new Error(`unknown mode ${mode}`);
} catch (e) {
  out.error = e.message;
  done();
}

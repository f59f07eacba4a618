// Real-client recorder: Node.js https/http, http2, fetch (undici) and ws. Prints what a
// program that does console.error(err) prints (record.mjs drops the stack frames), or the
// status line when the server answers >= 400.
//
//   node node-client.mjs <stack> <mode> <url> [proxy]
//   stack: https | http2 | fetch | ws
//   mode:  default | tls1.3 | tls1.2 | h2c | ws-protocol
// The lab CA comes in through NODE_EXTRA_CA_CERTS (set by record.mjs).
import http from 'node:http';
import https from 'node:https';
import http2 from 'node:http2';

const [stack, mode, target] = process.argv.slice(2);
const tlsPin = mode === 'tls1.3' ? { minVersion: 'TLSv1.3' } : mode === 'tls1.2' ? { maxVersion: 'TLSv1.2' } : {};
const fail = (err) => {
  console.error(err);
  process.exit(1);
};
setTimeout(() => fail(new Error('recorder: no answer within 5 s')), 5000).unref();

if (stack === 'https') {
  const mod = target.startsWith('https:') ? https : http;
  const req = mod.get(target, { ...tlsPin, signal: AbortSignal.timeout(4000) }, (res) => {
    if (res.statusCode >= 400) {
      console.error(`HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage}`);
      process.exit(1);
    }
    res.resume();
    res.on('end', () => process.exit(0));
  });
  req.on('error', fail);
} else if (stack === 'http2') {
  const session = http2.connect(target, { ...tlsPin });
  session.on('error', fail);
  const req = session.request({ ':path': new URL(target).pathname });
  req.setTimeout(4000, () => fail(new Error('recorder: the HTTP/2 stream timed out (4 s)')));
  req.on('response', (h) => {
    if (h[':status'] >= 400) fail(`HTTP/2 ${h[':status']}`);
  });
  req.on('error', fail);
  req.resume();
  req.on('end', () => process.exit(0));
} else if (stack === 'fetch') {
  try {
    const res = await fetch(target, { signal: AbortSignal.timeout(4000) });
    if (res.status >= 400) fail(`HTTP ${res.status} ${res.statusText}`);
    await res.arrayBuffer();
    process.exit(0);
  } catch (e) {
    fail(e);
  }
} else if (stack === 'ws') {
  const { default: WebSocket } = await import('ws');
  const ws = new WebSocket(target, mode === 'ws-protocol' ? ['chat.v2'] : [], { handshakeTimeout: 4000, ...tlsPin });
  ws.on('open', () => {
    ws.close();
    process.exit(0);
  });
  ws.on('error', fail);
} else {
  fail(new Error(`unknown stack ${stack}`));
}

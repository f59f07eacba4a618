// Real-client recorder: Node.js https/http, http2, fetch (undici), ws, and the npm clients axios
// and @grpc/grpc-js. Prints what a program that does console.error(err) prints (record.mjs drops
// the stack frames), or the status line when the server answers >= 400.
//
//   node node-client.mjs <stack> <mode> <url> [proxy]
//   stack: https | http2 | fetch | ws | axios | grpc-js
//   mode:  default | h1 | tls1.3 | tls1.2 | h2 | h2c | ws-protocol
// The lab CA comes in through NODE_EXTRA_CA_CERTS (set by record.mjs). axios and @grpc/grpc-js are
// not dependencies of h2doctor: record.sh installs them in a scratch folder named by
// H13_CORPUS_NPM (its node_modules is searched).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
    if (mode !== 'ws-read') {
      ws.close();
      process.exit(0);
    }
    // ws-read: the first message after the 101, where a misbehaving server shows it.
    setTimeout(() => fail(new Error('recorder: no message within 4 s')), 4000).unref();
  });
  ws.on('message', () => {
    ws.close();
    process.exit(0);
  });
  ws.on('error', fail);
} else if (stack === 'axios') {
  const require = createRequire(`${process.env.H13_CORPUS_NPM}/`);
  const axios = require('axios');
  const agent = target.startsWith('https:') ? { httpsAgent: new https.Agent({ ...tlsPin }) } : {};
  try {
    await axios.get(target, { timeout: 4000, proxy: false, ...agent });
    process.exit(0);
  } catch (e) {
    fail(e);
  }
} else if (stack === 'grpc-js') {
  const require = createRequire(`${process.env.H13_CORPUS_NPM}/`);
  const grpc = require('@grpc/grpc-js');
  const u = new URL(target);
  const tls = u.protocol === 'https:' && mode !== 'h2c';
  const creds = tls ? grpc.credentials.createSsl(readFileSync(process.env.H2DOCTOR_LAB_CA)) : grpc.credentials.createInsecure();
  const client = new grpc.Client(`${u.hostname}:${u.port || (tls ? 443 : 80)}`, creds);
  client.makeUnaryRequest('/h2doctor.Lab/Ping', (b) => b, (b) => b, Buffer.alloc(0), new grpc.Metadata(), { deadline: Date.now() + 4000 }, (err) => {
    if (err) fail(err);
    process.exit(0);
  });
} else {
  fail(new Error(`unknown stack ${stack}`));
}

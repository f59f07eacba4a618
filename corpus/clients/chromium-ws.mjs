// Real-client recorder: headless Chromium opening a WebSocket. Chromium prints a failed WebSocket
// handshake only to the page's console ("WebSocket connection to '…' failed: …"), so this starts
// it with a DevTools port, opens a blank page, runs `new WebSocket(url[, protocol])` there and
// prints every console/log entry the page gets within 4 s, verbatim, one per line.
//
//   node chromium-ws.mjs <mode> <ws-url> <user-data-dir>
//   mode: ws | ws-protocol (offers the subprotocol "chat.v2")
// Trusts the lab CA through the NSS db in $HOME (set up by record.mjs).
import { spawn } from 'node:child_process';
import WebSocket from 'ws';

const [mode, target, profile] = process.argv.slice(2);
const chrome = spawn('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
const done = (code) => {
  try {
    chrome.kill('SIGKILL');
  } catch {}
  process.exit(code);
};
setTimeout(() => done(2), 12_000).unref();
let err = '';
const devtools = await new Promise((resolve) => {
  chrome.stderr.on('data', (b) => {
    err += b;
    const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
    if (m) resolve(m[1]);
  });
  chrome.on('exit', () => resolve(null));
});
if (!devtools) done(2);
const cdp = new WebSocket(devtools);
await new Promise((r) => cdp.once('open', r));
let id = 0;
const pending = new Map();
const lines = [];
cdp.on('message', (data) => {
  const msg = JSON.parse(String(data));
  if (msg.id && pending.has(msg.id)) {
    pending.get(msg.id)(msg.result ?? {});
    pending.delete(msg.id);
  }
  if (msg.method === 'Log.entryAdded') lines.push(msg.params.entry.text);
  if (msg.method === 'Runtime.consoleAPICalled') lines.push(msg.params.args.map((a) => a.value ?? a.description ?? '').join(' '));
  if (msg.method === 'Runtime.exceptionThrown') lines.push(msg.params.exceptionDetails.exception?.description ?? msg.params.exceptionDetails.text);
});
const send = (method, params = {}, sessionId) =>
  new Promise((resolve) => {
    const n = ++id;
    pending.set(n, resolve);
    cdp.send(JSON.stringify({ id: n, method, params, ...(sessionId ? { sessionId } : {}) }));
  });
const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
await send('Log.enable', {}, sessionId);
await send('Runtime.enable', {}, sessionId);
const protocols = mode === 'ws-protocol' ? ", ['chat.v2']" : '';
await send('Runtime.evaluate', { expression: `const w = new WebSocket(${JSON.stringify(target)}${protocols}); w.onopen = () => console.log('recorder: open ' + w.protocol);` }, sessionId);
await new Promise((r) => setTimeout(r, 4000));
const failed = lines.filter((l) => !/^recorder: open/.test(l));
for (const l of failed) console.log(l);
done(failed.length ? 1 : 0);

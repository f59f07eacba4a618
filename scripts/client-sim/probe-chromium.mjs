// Headless Chromium for the client-simulation harness: node probe-chromium.mjs <url> <work dir>
// loads the URL (certificate errors ignored: the comparison is about what is negotiated), and reads
// what Chromium negotiated from its own net log (--log-net-log): the SSL_CONNECT end event (version,
// cipher_suite, next_proto), whether an HTTP/2 session carried the page, and the page load's net
// error (ERR_HTTP2_INADEQUATE_TRANSPORT_SECURITY, ERR_SSL_VERSION_OR_CIPHER_MISMATCH, …). One JSON line.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const [url, work] = process.argv.slice(2);
const dir = mkdtempSync(join(work, 'chromium-'));
const log = join(dir, 'netlog.json');
const out = { client: 'chromium' };
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions', `--user-data-dir=${join(dir, 'profile')}`, '--ignore-certificate-errors', `--log-net-log=${log}`, '--net-log-capture-mode=Default', '--dump-dom', url];
const code = await new Promise((resolve) => {
  const p = spawn('chromium', args, { stdio: ['ignore', 'ignore', 'ignore'] });
  const t = setTimeout(() => p.kill('SIGKILL'), 25000);
  p.on('error', () => resolve(-1));
  p.on('close', (c) => (clearTimeout(t), resolve(c)));
});
try {
  const j = JSON.parse(readFileSync(log, 'utf8'));
  const type = Object.fromEntries(Object.entries(j.constants.logEventTypes).map(([k, v]) => [v, k]));
  const errName = Object.fromEntries(Object.entries(j.constants.netError).map(([k, v]) => [v, k]));
  const ev = j.events.map((e) => ({ ...e, t: type[e.type] }));
  const host = new URL(url).host;
  // The page's own request: REQUEST_ALIVE begins with its URL; its end carries the net error, if any.
  const req = ev.find((e) => e.t === 'REQUEST_ALIVE' && e.phase === 1 && e.params?.url === url);
  const end = req && ev.find((e) => e.t === 'REQUEST_ALIVE' && e.phase === 2 && e.source.id === req.source.id);
  const handshakes = ev.filter((e) => e.t === 'SSL_CONNECT' && e.phase === 2 && e.params?.version).map((e) => e.params);
  // Chromium may open more than one connection (a preconnect next to the request's own): every one is listed.
  out.connections = handshakes.map((h) => `${h.version} 0x${h.cipher_suite.toString(16)} ${h.next_proto || '-'}${h.is_resumed ? ' resumed' : ''}`);
  const ssl = handshakes.at(-1);
  if (ssl) Object.assign(out, { version: ssl.version.replace('TLS ', 'TLSv').replace('TLSv1.0', 'TLSv1'), cipherCode: ssl.cipher_suite, alpn: ssl.next_proto || null });
  const h2 = ev.some((e) => e.t === 'HTTP2_SESSION' && e.phase === 1 && e.params?.host === host);
  if (end?.params?.net_error) out.error = errName[end.params.net_error] ? `net::${errName[end.params.net_error]}` : `net error ${end.params.net_error}`;
  else if (req) out.proto = h2 ? 'HTTP/2.0' : 'HTTP/1.1';
  else out.error = `no request in the net log (chromium exit ${code})`;
} catch (e) {
  out.error = `no net log (chromium exit ${code}): ${e.message}`;
}
rmSync(dir, { recursive: true, force: true });
process.stdout.write(JSON.stringify(out) + '\n');

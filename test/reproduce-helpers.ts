/**
 * Runs every reproduce command of a report's findings (issue 11 item 3): each must finish within its
 * own `--max-time`, name no placeholder (HOST, ADDRESS, a file that does not exist, `nc`), carry the
 * user's options (`--cacert`, `--resolve`), and show the symptom the finding names where the table
 * below knows what that symptom looks like in curl's / openssl's / nghttp's words.
 */
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import type { Report } from '../src/model/index.js';
import { diagnoseReport } from '../src/diagnosis/replay.js';

/** What each code's reproduce output shows, as the real tools print it (seen on the real servers of test/real-*.test.ts). */
export const SYMPTOM: Partial<Record<string, RegExp>> = {
  'tls-sni-unknown-name': /unrecognized[ _]name|alert number 112/i,
  'dns-no-address': /Could not resolve host/,
  'tls-no-shared-cipher': /handshake failure|alert number 40/i,
  'tls-no-shared-group': /handshake failure|alert number 40/i,
  'tls-version-too-old': /TLSv1\.1|TLSv1 |protocol version|unsupported protocol|Cipher is \(NONE\)/i,
  'tls12-not-supported': /alert number 70|protocol version|tls-max/i,
  'tls-client-cert-required': /Acceptable client certificate CA names|No required SSL certificate|certificate required/i,
  'h2-connection-specific-header': /PROTOCOL_ERROR|Invalid HTTP header/i,
  'upgrade-header-stripped': /HTTP\/1\.1 (426|200)/,
  'upgrade-required-h2': /426/,
  'upgrade-required-tls': /426/,
  'upgrade-header-missing': /426/,
  // A status other than 101, or a 101 whose Sec-WebSocket-Accept is not the sample key's.
  'websocket-handshake-failed': /HTTP\/1\.1 [^1]\d\d|Sec-WebSocket-Accept: (?!s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=)|HTTP\/1\.1 101(?![\s\S]*Sec-WebSocket-Accept)/i,
  'cert-expired': /expired|notAfter=/i,
  'cert-not-yet-valid': /not yet valid|notBefore/i,
  'cert-untrusted': /self.signed|unable to get local issuer|certificate problem/i,
  'cert-chain-too-large': /excessive message size/i,
  'cert-hostname-mismatch': /subjectAltName|no alternative certificate subject name|DNS:/i,
  'h2-inadequate-security': /AES128-SHA256|Cipher/i,
  'h1-h2-behaviour-differs': /404|200/,
  'deprecation-announced': /deprecation|sunset/i,
  // Seen running the lab's scenarios (test/lab-reproduce.test.ts; H2D_REPRO_DEBUG=1 prints each output):
  // curl 7.88.1, OpenSSL 3.0.19, nghttp 1.52.0.
  'tcp-refused': /Connection refused/,
  'tcp-reset': /reset by peer/,
  'tcp-timeout': /Timeout was reached|timed out/,
  'tls-handshake-timeout': /exit 124/,
  'tls-handshake-alert': /SSL alert number \d+/,
  'tls-malformed-response': /Not TLS data|SSL routines:/,
  'tls-legacy-version-enabled': /Protocol\s*: TLSv1(\.1)?$/m,
  'tls-sni-required': /alert number \d+|subject=/,
  'tls-weak-dh-params': /Server Temp Key: DH, (512|768|1024|1536) bits/,
  'tls13-not-supported': /alert number 70|protocol version/,
  'alpn-no-h2': /no application protocol|ALPN protocol: http\/1\.1|No ALPN negotiated/,
  'alpn-ignored': /No ALPN negotiated|did not agree/,
  'preface-http1-response': /Empty reply from server|HTTP2 framing layer|HTTP\/0\.9|PROTOCOL_ERROR/,
  'preface-closed': /not closed cleanly|Empty reply from server|Recv failure|reset by peer/,
  'preface-garbage': /Empty reply from server|HTTP2 framing layer|PROTOCOL_ERROR/,
  'preface-timeout': /timed out/,
  'preface-not-settings': /expected SETTINGS frame|SETTINGS expected/,
  'goaway-on-connect': /recv GOAWAY/,
  'h2-no-streams-allowed': /MAX_CONCURRENT_STREAMS\(0x03\):0\]/,
  'h2-no-response': /^(?![\s\S]*recv \(stream_id=\d+\) :status)/,
  // curl 7.88 sends its own GOAWAY and says "Empty reply from server", or names nghttp2's error.
  'h2-protocol-error': /HTTP2 framing layer|PROTOCOL_ERROR|not closed cleanly|Empty reply from server|nghttp2_session_mem_recv\(\) returned|GOAWAY|\[ERROR\]/,
  'h2c-not-supported': /Empty reply from server|HTTP2 framing layer|HTTP\/0\.9|HTTP\/1\.[01] \d{3}|timed out/,
  'h2c-upgrade-unsupported': /^(?![\s\S]*101 Switching Protocols)/,
  'http1-not-supported': /HTTP\/0\.9|no application protocol|Empty reply from server|Recv failure/,
  'scheme-http-on-tls-port': /Empty reply from server|HTTP\/0\.9|HTTP\/1\.[01] 400|plain HTTP/,
  'scheme-https-on-cleartext-port': /wrong version number|packet length too long/,
  'clock-skew': /^date: /im,
  'cert-chain-incomplete': /^ *0 s:(?![\s\S]*^ *1 s:)/m,
  'upgrade-problem-details-missing': /^HTTP\/1\.1 426(?![\s\S]*application\/problem\+json)/m,
  'upgrade-required-websocket': /426/,
  'websocket-subprotocol-rejected': /101 Switching Protocols(?![\s\S]*Sec-WebSocket-Protocol)|HTTP\/1\.1 [^1]\d\d/i,
  'websocket-over-h2-unsupported': /recv SETTINGS(?![\s\S]*ENABLE_CONNECT_PROTOCOL\(0x08\):1)/,
  // A refused CONNECT; or (curl 7.88 against the hostile proxies) a head that never ends, or a 200 and
  // then nothing through the tunnel (or a status line still dripping) until --max-time.
  'proxy-connect-failed': /CONNECT tunnel failed|HTTP\/1\.[01] [45]\d\d|Received HTTP code [45]\d\d from proxy|Too large response headers|Connection timed out after \d+ milliseconds|Operation timed out after \d+ milliseconds/,
  'proxy-alters-alpn': /ALPN: server accepted http\/1\.1|ALPN: server did not agree/,
  'tls-interception-suspected': /issuer=/,
};

function run(cmd: string): Promise<{ out: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
    child.stderr.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ out, ms: Date.now() - t0 });
    });
  });
}

/** Commands that are not a client reproducing the failure (h2doctor itself, DNS look-ups). */
const NOT_A_CLIENT = /^(h2doctor|getent|dig)\b/;

/** Runs and checks every reproduce command of the report; returns how many ran. */
export async function checkReproduce(r: Report, caFile?: string): Promise<number> {
  const jobs: Array<Promise<void>> = [];
  for (const f of r.findings) {
    for (const cmd of f.reproduce) {
      expect(cmd, `${f.code}: a placeholder in ${cmd}`).not.toMatch(/\bHOST\b|\bADDRESS\b|\bnc\s/);
      if (NOT_A_CLIENT.test(cmd)) continue;
      if (/^curl\s/.test(cmd)) {
        expect(cmd, `${f.code}: no deadline`).toMatch(/--max-time/);
        if (caFile && /https:|wss:/.test(cmd)) expect(cmd, `${f.code}: the user's CA file`).toContain(`--cacert ${caFile}`);
        expect(cmd, `${f.code}: curl -s alone hides the failure`).toMatch(/\s-(\w*[vSiI]\w*)\s|\s-sS/);
      }
      if (/^openssl s_client/.test(cmd) && caFile) expect(cmd, `${f.code}: the user's CA file`).toContain(`-CAfile ${caFile}`);
      jobs.push(
        run(cmd).then(({ out }) => {
          expect(out.trim().length, `${f.code}: ${cmd} printed nothing`).toBeGreaterThan(0);
          // H2D_REPRO_DEBUG=1: each first command's output, to write the SYMPTOM table from what the tools print.
          if (process.env.H2D_REPRO_DEBUG && f.reproduce.indexOf(cmd) === 0) console.log(`REPRO ${f.code} :: ${cmd}\n${out.slice(-1200)}\nEND`);
          const symptom = SYMPTOM[f.code];
          if (symptom && f.reproduce.indexOf(cmd) === 0) expect(out, `${f.code}: ${cmd}`).toMatch(symptom);
        }),
      );
    }
  }
  await Promise.all(jobs);
  return jobs.length;
}

/**
 * Library replay (issue 11 item 6): the saved JSON report, replayed with diagnoseReport(), gives the
 * same findings (reproduce commands aside: the report does not record the --cacert file name) and verdict.
 */
export function replayed(r: Report): Report {
  const again = diagnoseReport(JSON.parse(JSON.stringify(r)) as Report);
  const strip = (fs: Report['findings']) => fs.map(({ reproduce: _r, ...f }) => f);
  expect(strip(again.findings)).toEqual(strip(r.findings));
  expect(again.verdict).toBe(r.verdict);
  return r;
}

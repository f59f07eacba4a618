/**
 * Apache httpd + mod_http2 with a client certificate required for one location only
 * (`<Location /secure> SSLVerifyClient require </Location>`), the usual way to protect an admin path.
 * The certificate is asked after the request: TLS 1.2 renegotiation or TLS 1.3 post-handshake
 * authentication, which HTTP/2 forbids (RFC 9113 §9.2.1, §9.2.3), so mod_http2 resets the request
 * with RST_STREAM HTTP_1_1_REQUIRED (RFC 9113 §8.7: retry over HTTP/1.1). Seen with the real clients
 * first: curl prints "HTTP/2 stream 1 was not closed cleanly: HTTP_1_1_REQUIRED (err 13)" and
 * "Downgrades to HTTP/1.1", then fails without a certificate; Go's net/http fails with "stream error:
 * stream ID 1; HTTP_1_1_REQUIRED; received from peer" (it does not retry); node:http2 with
 * "Stream closed with error code NGHTTP2_HTTP_1_1_REQUIRED". h2doctor said "HTTP/2 connects, but
 * requests get no response … clients hang until their own timeout", with timeouts as what clients
 * print and "check the server log" as the fix. Expected, written before the change: the finding says
 * the server wants HTTP/1.1 for this request, names the per-location client certificate (Apache's
 * SSLVerifyClient) as the usual cause, quotes the real clients' lines, gives Apache's fix first, and
 * the path without the requirement stays healthy.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { diagnose } from '../src/diagnose.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { explain } from '../src/explain/index.js';
import { IN_CI, apacheHead, codes, createLabPki, diagnoseLocal, findBinary, freePort, labDir, runClient, skipWithout, spawnServer, type LabPki, type RealServer } from './real-helpers.js';

const APACHE = findBinary('apache2');
const CURL_SAYS = 'HTTP/2 stream 1 was not closed cleanly: HTTP_1_1_REQUIRED (err 13)';
const NODE_SAYS = 'Error [ERR_HTTP2_STREAM_ERROR]: Stream closed with error code NGHTTP2_HTTP_1_1_REQUIRED';
const GO_SAYS = 'stream error: stream ID 1; HTTP_1_1_REQUIRED; received from peer';
const GO = findBinary('go');
/** A Go net/http client (HTTP/2 by ALPN) that prints the error of one GET. */
const GO_MAIN = `package main
import ("crypto/tls";"crypto/x509";"fmt";"net/http";"os")
func main() {
  pool := x509.NewCertPool(); pem, _ := os.ReadFile(os.Args[2]); pool.AppendCertsFromPEM(pem)
  c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}
  r, err := c.Get(os.Args[1])
  if err != nil { fmt.Println(err); return }
  fmt.Println(r.Proto, r.Status)
}
`;
let goDir = '';

describe.skipIf(skipWithout(APACHE, 'apache2'))('real Apache 2.4 + mod_http2: a client certificate for one location', () => {
  let pki: LabPki;
  let caFile = '';
  const ports = { tls12: 0, tls13: 0, fixed: 0 };
  let client = { cert: '', key: '' };
  let server: RealServer | undefined;
  beforeAll(async () => {
    pki = await createLabPki();
    const { dir, cert, key } = await labDir(pki, 'apache-location-cert');
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'htdocs', 'secure'), { recursive: true });
    writeFileSync(join(dir, 'htdocs', 'index.html'), 'ok\n');
    writeFileSync(join(dir, 'htdocs', 'secure', 'index.html'), 'secret\n');
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, pki.rootCa.certPem);
    goDir = join(dir, 'go');
    mkdirSync(goDir);
    writeFileSync(join(goDir, 'main.go'), GO_MAIN);
    ports.tls12 = await freePort();
    ports.tls13 = await freePort();
    ports.fixed = await freePort();
    // A client certificate for the fixed host: its own CA, made with the real openssl.
    const clientCa = join(dir, 'client-ca.pem');
    const sh = (cmd: string) => runClient(`cd ${dir} && ${cmd} 2>&1`);
    await sh(`openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout client-ca.key -out ${clientCa} -subj /CN=client-ca -days 2`);
    await sh('openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout client.key -out client.csr -subj /CN=client');
    await sh(`openssl x509 -req -in client.csr -CA ${clientCa} -CAkey client-ca.key -CAcreateserial -out client.pem -days 2`);
    client = { cert: join(dir, 'client.pem'), key: join(dir, 'client.key') };
    const vhost = (port: number, protocols: string) => `
Listen 127.0.0.1:${port}
<VirtualHost 127.0.0.1:${port}>
  ServerName localhost
  Protocols h2 http/1.1
  SSLEngine on
  SSLCertificateFile ${cert}
  SSLCertificateKeyFile ${key}
  SSLCACertificateFile ${caFile}
  SSLProtocol ${protocols}
  <Location /secure>
    SSLVerifyClient require
  </Location>
</VirtualHost>`;
    writeFileSync(
      join(dir, 'httpd.conf'),
      `${apacheHead(dir, ['mpm_event', 'authz_core', 'dir', 'ssl', 'socache_shmcb', 'http2'])}
SSLSessionCache shmcb:${dir}/ssl_scache(512000)
DocumentRoot ${dir}/htdocs
DirectoryIndex index.html
<Directory ${dir}/htdocs>
  Require all granted
</Directory>
${vhost(ports.tls12, '-all +TLSv1.2')}
${vhost(ports.tls13, '-all +TLSv1.2 +TLSv1.3')}
Listen 127.0.0.1:${ports.fixed}
<VirtualHost 127.0.0.1:${ports.fixed}>
  ServerName localhost
  Protocols h2 http/1.1
  SSLEngine on
  SSLCertificateFile ${cert}
  SSLCertificateKeyFile ${key}
  SSLProtocol -all +TLSv1.2 +TLSv1.3
  SSLVerifyClient require
  SSLCACertificateFile ${dir}/client-ca.pem
</VirtualHost>
`,
    );
    server = await spawnServer('apache2', APACHE ?? 'apache2', ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], dir, [ports.tls12, ports.tls13, ports.fixed]);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  for (const v of ['tls12', 'tls13'] as const) {
    test(`${v}: real curl gets RST_STREAM HTTP_1_1_REQUIRED on /secure/ and retries over HTTP/1.1; / works over HTTP/2`, async () => {
      const c = await runClient(`curl -sv --max-time 5 --http2 --cacert ${caFile} -o /dev/null https://localhost:${ports[v]}/secure/ 2>&1`);
      expect(c).toContain(CURL_SAYS);
      expect(c).toMatch(/Downgrades to HTTP\/1\.1/);
      // explain on curl's own transcript: the request the server wants over HTTP/1.1, and where the HTTP/1.1 retry
      // shows TLS 1.3's "alert certificate required", the client certificate first (both are this configuration).
      const top = explain(c).causes.slice(0, 2).map((x) => x.code);
      if (/alert certificate required/.test(c)) expect(top).toEqual(['tls-client-cert-required', 'h2-no-response']);
      else expect(top[0]).toBe('h2-no-response');
      const root = await runClient(`curl -sv --max-time 5 --http2 --cacert ${caFile} -o /dev/null https://localhost:${ports[v]}/ 2>&1`);
      expect(root).toMatch(/< HTTP\/2 200/);
    });

    test(`${v}: real node:http2 and Go net/http fail with a stream error and do not retry`, async () => {
      const url = `https://localhost:${ports[v]}/secure/`;
      const node = await runClient(`node -e "const h=require('node:http2'),fs=require('node:fs');const c=h.connect('${url}',{ca:fs.readFileSync('${caFile}')});const r=c.request({':path':'/secure/'});r.on('error',(e)=>{console.log(e.name+' ['+e.code+']: '+e.message);c.close()});r.on('response',(h)=>console.log('status',h[':status']));r.on('close',()=>c.close());r.end()" 2>&1`);
      expect(node).toContain(NODE_SAYS);
      // explain reads the real client's line as diagnose does: the server wants HTTP/1.1 for the request.
      expect(explain(node).causes[0]?.code, node).toBe('h2-no-response');
      if (!GO && !IN_CI) return;
      const go = await runClient(`cd ${goDir} && GOCACHE=${goDir}/cache GOFLAGS=-mod=mod timeout 120 ${GO ?? 'go'} run main.go ${url} ${caFile} 2>&1`);
      expect(go).toContain(`Get "${url}": ${GO_SAYS}`);
      expect(explain(go).causes[0]?.code, go).toBe('h2-no-response');
    }, 150_000);

    test(`${v}: h2doctor says the server wants HTTP/1.1 for the request, and why`, async () => {
      const r = await diagnoseLocal(pki, 'https', ports[v], '/secure/');
      expect(codes(r)).toEqual(v === 'tls12' ? ['h2-no-response', 'tls13-not-supported'] : ['h2-no-response']);
      const f = r.findings.find((x) => x.code === 'h2-no-response')!;
      expect(f.title).toMatch(/HTTP\/1\.1/);
      expect(f.title).toMatch(/HTTP_1_1_REQUIRED/);
      expect(f.explanation).toMatch(/SSLVerifyClient/);
      expect(f.explanation).toMatch(/renegotiat/);
      expect(f.explanation).not.toMatch(/hang/);
      expect(f.clientsSee.join('\n')).toContain(CURL_SAYS);
      expect(f.clientsSee.join('\n')).toContain(NODE_SAYS);
      expect(f.clientsSee.join('\n')).toContain(GO_SAYS);
      expect(f.clientsSee.join('\n')).not.toMatch(/timed out|DEADLINE_EXCEEDED/);
      expect(f.fixes[0]!.applies).toBe('apache');
      expect(f.fixes[0]!.snippet ?? '').toMatch(/SSLVerifyClient require/);
      // What HTTP/1.1 got for the same request is in the evidence (a cut connection under TLS 1.2, a 403 under TLS 1.3 for a client without post-handshake authentication).
      expect(f.evidence.map((e) => e.text).join('\n')).toMatch(/HTTP\/1\.1/);
      expect(r.headline ?? '').toMatch(/HTTP\/1\.1/);
      const root = await diagnoseLocal(pki, 'https', ports[v], '/');
      expect(codes(root)).toEqual(v === 'tls12' ? ['tls13-not-supported'] : []);
    });
  }

  test('the fix h2doctor gives first (SSLVerifyClient require for the whole VirtualHost): HTTP/2 works with a client certificate, and without one the handshake says so', async () => {
    const url = `https://localhost:${ports.fixed}/secure/`;
    const withCert = await runClient(`curl -sv --max-time 5 --http2 --cacert ${caFile} --cert ${client.cert} --key ${client.key} -o /dev/null ${url} 2>&1`);
    expect(withCert).toMatch(/ALPN: server accepted h2/);
    expect(withCert).toMatch(/< HTTP\/2 200/);
    expect(withCert).not.toMatch(/HTTP_1_1_REQUIRED/);
    const r = await diagnoseLocal(pki, 'https', ports.fixed, '/secure/');
    expect(codes(r)).toContain('tls-client-cert-required');
    expect(codes(r)).not.toContain('h2-no-response');
    const fixed = await diagnose(url, { resolve: [`localhost:${ports.fixed}:127.0.0.1`], ca: pki.rootCa.certPem, clientCert: { cert: readFileSync(client.cert, 'utf8'), key: readFileSync(client.key, 'utf8') }, timeoutMs: 2000 });
    expect(codes(fixed)).toEqual([]);
  }, 30_000);
});

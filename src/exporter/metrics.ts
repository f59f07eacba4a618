/**
 * A diagnosis as Prometheus metrics, blackbox-exporter style: one scrape of `/probe?target=<url>`
 * runs one light diagnosis and answers with its series, per address. Series (OpenMetrics text):
 *
 *   probe_success                         1 unless the verdict is fail (blackbox's name)
 *   probe_duration_seconds                the diagnosis's wall time
 *   h2doctor_verdict{verdict}             1 for the verdict (ok, warn, fail)
 *   h2doctor_address_success{address}     1 unless the address's verdict is fail
 *   h2doctor_h2_negotiated{address}       1 when an ordinary client speaks HTTP/2 (h2 or h2c) there
 *   h2doctor_tls_info{address,alpn,tls_version,cipher}   1 (an info series: the labels are the data)
 *   h2doctor_tcp_connect_seconds{address}, h2doctor_tls_handshake_seconds{address},
 *   h2doctor_h2_exchange_seconds{address} (preface sent to response, on the h2 or h2c probe)
 *   h2doctor_h2_first_frame_seconds{address}, h2doctor_h2_response_seconds{address} (preface to the first frame, to the response HEADERS)
 *   h2doctor_cert_not_after_seconds{address}   the leaf certificate's notAfter (Unix time)
 *   h2doctor_finding{address,code,severity}    1 for each finding code present (address "" when
 *                                              the finding concerns no address, e.g. dns-no-address)
 *
 * @example
 * const reg = new Registry(); reportMetrics(await diagnose(url), reg); res.end(await reg.metrics());
 */
import { Gauge, Registry } from 'prom-client';
import { http2Answer, type Probe, type Report } from '../model/index.js';
import { timings } from '../watch/record.js';

export function reportMetrics(r: Report, reg: Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>): void {
  const g = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [reg] });
  g('probe_success', 'Whether the probe succeeded: 1 unless the h2doctor verdict is fail').set(r.verdict === 'fail' ? 0 : 1);
  g('probe_duration_seconds', 'How long the diagnosis took').set(r.durationMs / 1000);
  const verdict = g('h2doctor_verdict', 'The verdict of the diagnosis (1 for the one that holds)', ['verdict']);
  for (const v of ['ok', 'warn', 'fail'] as const) verdict.set({ verdict: v }, r.verdict === v ? 1 : 0);
  const success = g('h2doctor_address_success', 'Per address: 1 unless its verdict is fail', ['address']);
  const h2 = g('h2doctor_h2_negotiated', 'Per address: 1 when an ordinary client ends up speaking HTTP/2 (h2 or h2c)', ['address']);
  const info = g('h2doctor_tls_info', 'Per address: the negotiated ALPN, TLS version and cipher as labels (value 1)', ['address', 'alpn', 'tls_version', 'cipher']);
  const connect = g('h2doctor_tcp_connect_seconds', 'Per address: TCP connect time', ['address']);
  const hs = g('h2doctor_tls_handshake_seconds', 'Per address: TLS handshake time (default ALPN offer)', ['address']);
  const ex = g('h2doctor_h2_exchange_seconds', 'Per address: the HTTP/2 exchange, from the preface to the response (or its end)', ['address']);
  const firstFrame = g('h2doctor_h2_first_frame_seconds', "Per address: from our HTTP/2 preface to the server's first frame (about 0 when the server sends SETTINGS at once)", ['address']);
  const response = g('h2doctor_h2_response_seconds', 'Per address: from our HTTP/2 preface to the response HEADERS', ['address']);
  const notAfter = g('h2doctor_cert_not_after_seconds', "Per address: the leaf certificate's notAfter, as Unix time", ['address']);
  const finding = g('h2doctor_finding', 'One series per finding code present (value 1), with its severity', ['address', 'code', 'severity']);
  for (const a of r.addresses) {
    const address = a.address;
    success.set({ address }, a.verdict === 'fail' ? 0 : 1);
    h2.set({ address }, a.negotiated.protocol === 'h2' || a.negotiated.protocol === 'h2c' ? 1 : 0);
    if (r.target.tls && (a.negotiated.tlsVersion || a.negotiated.alpn !== undefined)) {
      info.set({ address, alpn: a.negotiated.alpn === undefined ? '' : (a.negotiated.alpn ?? 'none'), tls_version: a.negotiated.tlsVersion ?? '', cipher: a.negotiated.cipher ?? '' }, 1);
    }
    const probes = r.probes.filter((p) => p.address === address);
    const t = timings(probes);
    if (t.connectMs !== undefined) connect.set({ address }, t.connectMs / 1000);
    if (t.tlsMs !== undefined) hs.set({ address }, t.tlsMs / 1000);
    const h2p = http2Answer(probes);
    if (h2p) ex.set({ address }, h2p.durationMs / 1000);
    if (h2p && h2p.h2.firstFrameMs !== undefined) firstFrame.set({ address }, h2p.h2.firstFrameMs / 1000);
    if (h2p && h2p.h2.responseMs !== undefined) response.set({ address }, h2p.h2.responseMs / 1000);
    const cert = leafCert(probes);
    if (cert) {
      const s = Date.parse(cert.validTo);
      if (Number.isFinite(s)) notAfter.set({ address }, s / 1000);
    }
  }
  for (const f of r.findings) {
    const where = f.addresses.length ? f.addresses : [''];
    for (const address of where) finding.set({ address, code: f.code, severity: f.severity }, 1);
  }
}

function leafCert(probes: Probe[]) {
  for (const p of probes) if (p.kind === 'tls' && p.tls.cert) return p.tls.cert;
  return undefined;
}

import { describe, expect, test } from 'vitest';
import { candidateCodes, confirmCandidates, explain, findTarget, EVIDENCE_ONLY_ID } from './index.js';
import { explainJson } from '../report/explain.js';
import { matchText } from './match.js';

const codes = (r: ReturnType<typeof explain>, i = 0) => r.matches[i]!.causes.map((c) => c.code);

describe('ambiguous strings give ranked candidates', () => {
  test('bare "SSL alert number 40"', () => {
    const r = explain('SSL alert number 40');
    expect(r.matches[0]!.id).toBe('openssl-alert-handshake-failure');
    expect(codes(r).length).toBeGreaterThanOrEqual(4);
    expect(codes(r)[0]).toBe('tls-no-shared-cipher');
    expect(r.matches[0]!.confidence).toBeLessThan(0.9);
  });
  test('bare "PROTOCOL_ERROR"', () => {
    const r = explain('PROTOCOL_ERROR');
    expect(r.matches[0]!.id).toBe('h2-error-code-bare');
    expect(codes(r)).toEqual(expect.arrayContaining(['preface-http1-response', 'preface-not-settings', 'goaway-on-connect']));
    expect(r.matches[0]!.confidence).toBeLessThan(0.7);
  });
  test('a pasted log with two messages lists both, best first', () => {
    const r = explain('E0601 handshake\ncurl: (16) Error in the HTTP2 framing layer\nhttp2: frame too large');
    const ids = r.matches.map((m) => m.id);
    expect(ids).toContain('curl-http2-framing-layer');
    expect(ids).toContain('go-http2-frame-too-large');
    expect(r.matches[0]!.confidence).toBeGreaterThanOrEqual(r.matches[1]!.confidence);
  });
});

describe('evidence re-ranks causes', () => {
  test('Netty hex dump 1503010002 (a TLS alert) puts scheme-http-on-tls-port first', () => {
    const r = explain('First received frame was not SETTINGS. Hex dump for first 5 bytes: 1503010002');
    expect(codes(r)[0]).toBe('scheme-http-on-tls-port');
    expect(r.matches[0]!.causes[0]!.evidence[0]).toContain('TLS alert');
  });
  test('the same message with "HTTP/" puts preface-http1-response first', () => {
    expect(codes(explain('First received frame was not SETTINGS. Hex dump for first 5 bytes: 485454502f'))[0]).toBe('preface-http1-response');
  });
  test('a TLS stack reading "HTTP/1.1" means a cleartext port, not an HTTP/1 preface answer', () => {
    const r = explain('io.netty.handler.ssl.NotSslRecordException: not an SSL/TLS record: 485454502f312e3120343030');
    expect(codes(r)[0]).toBe('scheme-https-on-cleartext-port');
    expect(codes(r)).not.toContain('preface-http1-response');
  });
  test('a TLS server reading "GET /" means cleartext sent to the TLS port', () => {
    expect(codes(explain('not an SSL/TLS record: 474554202f20485454502f312e31'))[0]).toBe('scheme-http-on-tls-port');
  });
  test('frame length 4740180 supports the HTTP/1 cause', () => {
    const r = explain('Frame length: 4740180 exceeds maximum: 16384');
    expect(codes(r)[0]).toBe('preface-http1-response');
    expect(r.evidence.some((e) => e.kind === 'frame-size' && e.sentence.includes('"HTT"'))).toBe(true);
  });
  test('Go malformed response with SETTINGS bytes → http1-not-supported; with TLS bytes → scheme-http-on-tls-port', () => {
    expect(codes(explain('malformed HTTP response "\\x00\\x00\\x12\\x04\\x00\\x00\\x00\\x00\\x00"'))[0]).toBe('http1-not-supported');
    expect(codes(explain('malformed HTTP response "\\x15\\x03\\x01\\x00\\x02\\x02F"'))[0]).toBe('scheme-http-on-tls-port');
  });
  test('an HTTP/2 code in the message re-ranks the entry\'s causes', () => {
    expect(codes(explain('curl: (92) HTTP/2 stream 1 was not closed cleanly: INADEQUATE_SECURITY (err 12)'))[0]).toBe('h2-inadequate-security');
    expect(codes(explain('http2: server sent GOAWAY and closed the connection; LastStreamID=1, ErrCode=INADEQUATE_SECURITY, debug=""'))[0]).toBe('h2-inadequate-security');
  });
  test('Envoy decimal BoringSSL code is decoded', () => {
    const r = explain('upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: TLS error: 268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER');
    expect(codes(r)[0]).toBe('scheme-https-on-cleartext-port');
  });
  test('a go remote error alert name re-ranks', () => {
    expect(codes(explain('remote error: tls: unrecognized name'))[0]).toBe('tls-sni-unknown-name');
  });
});

describe('unknown text', () => {
  test('gives no matches', () => {
    expect(explain('the quick brown fox').matches).toEqual([]);
    expect(explain('').matches).toEqual([]);
    expect(matchText('hello world')).toEqual([]);
  });
  test('bytes alone still give an evidence-only answer', () => {
    const r = explain('1503010002');
    expect(r.matches[0]!.id).toBe(EVIDENCE_ONLY_ID);
    expect(codes(r)[0]).toBe('scheme-http-on-tls-port');
  });
});

describe('target and next command', () => {
  test('found in URLs and in client-specific forms', () => {
    expect(findTarget('Get "https://api.example.com/v1/x": http2: frame too large')).toBe('https://api.example.com');
    expect(findTarget('curl: (7) Failed to connect to localhost port 8443 after 0 ms: Connection refused')).toBe('https://localhost:8443');
    expect(findTarget("HTTPSConnectionPool(host='api.example.com', port=443): Max retries")).toBe('https://api.example.com');
    expect(findTarget('dial tcp 10.0.0.7:80: i/o timeout')).toBe('http://10.0.0.7');
    expect(findTarget('no host here')).toBeNull();
  });
  test('next names the target or a placeholder', () => {
    expect(explain('curl: (16) Error in the HTTP2 framing layer').next).toBe('h2doctor https://HOST');
    expect(explain('x', { url: 'https://a.example' }).next).toBe('h2doctor https://a.example');
  });
});

describe('JSON shape and confirmation', () => {
  test('the stable fields are present', () => {
    const j = explainJson(explain('curl: (16) Error in the HTTP2 framing layer')) as { matches: Array<Record<string, unknown>> };
    const m = j.matches[0]!;
    expect(Object.keys(m)).toEqual(expect.arrayContaining(['id', 'confidence', 'family', 'meaning', 'causes']));
    expect((m.causes as Array<Record<string, unknown>>)[0]).toMatchObject({ code: expect.any(String), why: expect.any(String) });
  });
  test('confirmCandidates marks the confirmed cause, or that none was', () => {
    const r = explain('curl: (16) Error in the HTTP2 framing layer');
    expect(candidateCodes(r)).toContain('preface-http1-response');
    const yes = confirmCandidates(r, ['preface-http1-response', 'clock-skew'], 'https://a.example');
    expect(yes.confirmation).toEqual({ url: 'https://a.example', confirmed: ['preface-http1-response'], none: false, otherFindings: ['clock-skew'] });
    expect(yes.matches[0]!.causes.find((c) => c.code === 'preface-http1-response')!.confirmed).toBe(true);
    const no = confirmCandidates(r, []);
    expect(no.confirmation!.none).toBe(true);
    expect(r.confirmation).toBeUndefined(); // pure
  });
});

describe('field reports (/work/shared/seeds)', () => {
  test('"error reading server preface http2 connection" (seed 000) is recognised', () => {
    expect(explain('error reading server preface http2 connection').matches[0]!.id).toBe('grpc-go-preface-error');
  });
  test('the BoringSSL handshake failure from an Electron app (seed 001)', () => {
    const r = explain('ConnectError: [internal] ...:error:10000410:SSL routines:OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE:...:SSL alert number 40');
    expect(r.matches[0]!.id).toBe('openssl-alert-handshake-failure');
    expect(r.evidence.some((e) => e.kind === 'openssl-error' && e.sentence.startsWith('BoringSSL'))).toBe(true);
  });
  test('426 with Upgrade: HTTP/2.0 (seed 002)', () => {
    const r = explain('curl -v https://api.example.com/endpoint\n< HTTP/1.1 426 Upgrade Required\n< Upgrade: HTTP/2.0');
    expect(r.matches[0]!.id).toBe('http-426-upgrade-h2');
    expect(r.matches[0]!.causes[0]!.code).toBe('upgrade-required-h2');
    expect(r.next).toBe('h2doctor https://api.example.com');
  });
});

describe('long pastes', () => {
  test('an error at the end of a long log is still found', () => {
    const log = 'INFO request ok status=200\n'.repeat(30_000) + 'curl: (16) Error in the HTTP2 framing layer\n';
    expect(log.length).toBeGreaterThan(400_000);
    expect(explain(log).matches[0]!.id).toBe('curl-http2-framing-layer');
  });
});

// Real lines from corpus/clients.json (recorded from the clients against the lab).
const top = (text: string, n = 1) => explain(text).causes.slice(0, n).map((c) => c.code);

describe('pointing the right way (issue 13)', () => {
  test('"not yet valid" is cert-not-yet-valid, not expired or untrusted', () => {
    expect(top("Error: certificate is not yet valid\n  code: 'CERT_NOT_YET_VALID'\n}")).toEqual(['cert-not-yet-valid']);
    expect(top('Get "https://h/": x509: certificate has expired or is not yet valid: current time 2026-12-03T05:31:10Z is before 2026-12-04T05:30:54Z')).toEqual(['cert-not-yet-valid']);
    expect(top('Get "https://h/": x509: certificate has expired or is not yet valid: current time 2026-12-03T05:31:10Z is after 2026-12-02T05:30:54Z')).toEqual(['cert-expired']);
  });
  test('alert 120 from an HTTP/1.1-only client means the server lacks http/1.1; from an h2-only client, that it lacks h2', () => {
    const h1 = "requests.exceptions.SSLError: HTTPSConnectionPool(host='localhost', port=38705): Max retries exceeded with url: / (Caused by SSLError(SSLError(1, '[SSL] tlsv1 alert no application protocol (_ssl.c:992)')))";
    expect(top(h1)).toEqual(['http1-not-supported']);
    const grpc = 'details = "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:46753: Ssl handshake failed: SSL_ERROR_SSL: error:0A000460:SSL routines::tlsv1 alert no application protocol"';
    expect(top(grpc)).toEqual(['alpn-no-h2']);
  });
  test("Go's remote error: tls: no application protocol names the ALPN codes", () => {
    expect(top('Get "https://localhost:46753/": remote error: tls: no application protocol', 2).sort()).toEqual(['alpn-no-h2', 'http1-not-supported']);
  });
  test('curl (16) after a GOAWAY in the same output is goaway-on-connect, not an HTTP/1.1 server', () => {
    expect(top('* recveived GOAWAY, error=13, last_stream=0\ncurl: (16) Error in the HTTP2 framing layer')).toEqual(['goaway-on-connect']);
  });
  test("grpcio's failed-to-connect wrapper never outranks the TLS error inside it", () => {
    const t = 'details = "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:35229: Ssl handshake failed: SSL_ERROR_SSL: error:0A000086:SSL routines::certificate verify failed"';
    expect(top(t, 3)).toEqual(expect.arrayContaining(['cert-untrusted', 'cert-expired']));
    expect(top(t)[0]!.startsWith('cert-')).toBe(true);
  });
  test('a client that demands TLS 1.3 and refuses the server\'s TLS 1.2 is tls13-not-supported first', () => {
    expect(top('javax.net.ssl.SSLHandshakeException: The server selected protocol version TLS12 is not accepted by client preferences [TLS13]')).toEqual(['tls13-not-supported']);
    expect(top('Get "https://h/": tls: server selected unsupported protocol version 303')).toEqual(['tls13-not-supported']);
    expect(top('Get "https://h/": tls: server selected unsupported protocol version 301')).toEqual(['tls-version-too-old']);
  });
  test('fetch failed unwraps to its cause', () => {
    expect(top("TypeError: fetch failed\n  [cause]: Error: certificate has expired\n    code: 'CERT_HAS_EXPIRED'\n  }\n}")).toEqual(['cert-expired']);
  });
  test('Java Caused by: the innermost specific cause wins', () => {
    const t = 'Exception in thread "main" javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed\nCaused by: java.security.cert.CertificateExpiredException: NotAfter: Wed Dec 02 05:30:54 UTC 2026';
    expect(top(t)).toEqual(['cert-expired']);
  });
  test('426 seen by an HTTP client and by a WebSocket client point different ways', () => {
    expect(top('requests.exceptions.HTTPError: 426 Client Error: Upgrade Required for url: https://h/')).toEqual(['upgrade-required-h2']);
    expect(top('Error: Unexpected server response: 426')).toEqual(['upgrade-header-stripped']);
    expect(top('Get "https://h/": Forbidden')).toEqual(['proxy-connect-failed']);
    expect(top('java.io.IOException: Unexpected response code for CONNECT: 403')).toEqual(['proxy-connect-failed']);
    expect(top("Proxy response (403) !== 200 when HTTP Tunneling")).toEqual(['proxy-connect-failed']);
  });
  test('alert 40 with the host named: SNI was sent, so "SNI required" drops; with an IP literal it leads', () => {
    const named = 'Get "https://api.example.com/": remote error: tls: handshake failure';
    expect(top(named, 3)).not.toContain('tls-sni-required');
    expect(top(named, 3)).toEqual(expect.arrayContaining(['tls-no-shared-cipher', 'tls-client-cert-required', 'tls-no-shared-group']));
    expect(top('Get "https://192.0.2.7/": remote error: tls: handshake failure', 2)).toContain('tls-sni-required');
    const py = "requests.exceptions.SSLError: HTTPSConnectionPool(host='api.example.com', port=443): Max retries exceeded with url: / (Caused by SSLError(SSLError(1, '[SSL: SSLV3_ALERT_HANDSHAKE_FAILURE] sslv3 alert handshake failure (_ssl.c:992)')))";
    expect(top(py, 3)).not.toContain('tls-sni-required');
  });
  test('a close met by a client that spoke HTTP/1.1 over TLS is an HTTP/2-only server, not a closed preface', () => {
    const curl = '* ALPN: server did not agree on a protocol. Uses default.\n* Empty reply from server\ncurl: (52) Empty reply from server';
    expect(top(curl)).toEqual(['http1-not-supported']);
    expect(top(curl, 3)).not.toContain('preface-closed');
    // Over TLS no cleartext was sent: the port is no TLS port meeting cleartext.
    expect(top('Get "https://h.example/": EOF', 3)).not.toContain('scheme-http-on-tls-port');
    expect(top('Get "https://h.example/": EOF', 3)).toContain('http1-not-supported');
    expect(top('http.client.RemoteDisconnected: Remote end closed connection without response', 3)).toContain('http1-not-supported');
  });
  test("wget's \"HTTP request sent\" is no OpenSSL http-request error", () => {
    expect(top('HTTP request sent, awaiting response... 426 Upgrade Required\n2026-12-03 06:38:21 ERROR 426: Upgrade Required.', 3)).not.toContain('scheme-http-on-tls-port');
    expect(top('40C7:error:0A00009C:SSL routines:ssl3_get_record:http request:../ssl/record/ssl3_record.c:345:')).toEqual(['scheme-http-on-tls-port']);
  });
  test("OkHttp's ConnectionShutdownException is a GOAWAY or a close, not a wrong first frame", () => {
    expect(top('Exception in thread "main" okhttp3.internal.http2.ConnectionShutdownException', 2)).toEqual(['goaway-on-connect', 'preface-closed']);
  });
  test('gRPC clients: GOAWAY, ALPN, a close before SETTINGS and a deadline on a ready connection each point their own way', () => {
    expect(top('rpc error: code = Unavailable desc = the connection is draining')).toEqual(['goaway-on-connect']);
    expect(top('rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: tls: server selected unadvertised ALPN protocol"')).toEqual(['alpn-no-h2']);
    expect(top("Error: 14 UNAVAILABLE: No connection established. Last error: Error: 802C:error:0A00006E:SSL routines:tls_parse_stoc_alpn:bad extension:../deps/openssl/openssl/ssl/statem/extensions_clnt.c:1604:")).toEqual(['alpn-no-h2']);
    expect(top('Error: 14 UNAVAILABLE: No connection established. Last error: Failed to connect (2026-12-03T08:39:11.075Z). Resolution note: ')).toEqual(['preface-closed']);
    const deadline = top('Error: 4 DEADLINE_EXCEEDED: Deadline exceeded after 4.014s,name resolution: 0.028s,metadata filters: 0.001s,LB pick: 0.065s,remote_addr=127.0.0.1:37631', 2);
    expect(deadline.sort()).toEqual(['h2-no-response', 'h2-no-streams-allowed']);
  });
  test("OkHttp's connection descriptor says cleartext HTTP/1.1: a close is then no closed HTTP/2 preface", () => {
    const t = 'Exception in thread "main" java.io.IOException: unexpected end of stream on Connection{h.example:8080, proxy=DIRECT hostAddress=h.example/192.0.2.1:8080 cipherSuite=none protocol=http/1.1}';
    expect(top(t, 3)).toEqual(expect.arrayContaining(['scheme-http-on-tls-port', 'http1-not-supported']));
    expect(top(t, 2)).not.toContain('preface-closed');
  });
});

describe('long input is read whole, line by line, and the matching lines are quoted', () => {
  test('an error in the middle of a 600 k-character log is found and quoted with its line number', () => {
    const filler = Array.from({ length: 6000 }, (_, i) => `INFO request ${i} served in 3 ms ${'x'.repeat(80)}`);
    const lines = [...filler.slice(0, 3000), 'ERROR upstream: x509: certificate signed by unknown authority', ...filler.slice(3000)];
    const r = explain(lines.join('\n'));
    expect(r.scanned.skippedLines).toBe(0);
    expect(r.causes.slice(0, 2).map((c) => c.code)).toContain('cert-untrusted');
    expect(r.recognised[0]).toMatchObject({ line: 3001, quote: 'ERROR upstream: x509: certificate signed by unknown authority' });
  });
  test('unknown text still gets generic candidates and the next command, never an empty answer', () => {
    const r = explain('the quick brown fox');
    expect(r.causes.length).toBeGreaterThan(0);
    expect(r.recognised).toEqual([]);
    expect(r.next).toBe('h2doctor https://HOST');
  });
});

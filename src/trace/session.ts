/**
 * One traced connection: resolve, TCP connect, TLS (what was offered, what the server chose) or
 * cleartext (prior knowledge, or `Upgrade: h2c`), then every HTTP/2 frame both ways, each event
 * stamped with the time since the trace began. The raw bytes in both directions and the TLS key
 * log are kept for a pcapng. Sockets come from src/transport/; nothing here prints.
 *
 * @example
 * const r = await runTrace(parseTarget('https://example.com'), {}, (e) => console.log(renderEvent(e)));
 */
import type { Target } from '../model/index.js';
import { connectTcp, round } from '../transport/conn.js';
import { resolveRoute, routeFor } from '../transport/route.js';
import { dialViaProxy } from '../transport/proxy.js';
import { tlsHandshake } from '../transport/tls.js';
import { hostForUrl, pinFor } from '../model/target.js';
import { classify } from '../wire/sniff.js';
import { concat, toHex } from '../wire/bytes.js';
import { encodeFrame, settingsFrame } from '../wire/http2/frame.js';
import { SETTINGS } from '../wire/http2/registry.js';
import { encodeRequestHead, parseResponseHead } from '../wire/http1/head.js';
import { parseRecords, HandshakeReassembler } from '../wire/tls/record.js';
import { parseClientHello, type ParsedClientHello } from '../wire/tls/client-hello.js';
import { summarizeServerFlight } from '../wire/tls/server-flight.js';
import { cipherSuiteName, groupName, isGrease, versionName } from '../wire/tls/registry.js';
import { VERSION } from '../version.js';
import { H2TraceClient } from './h2-client.js';
import { findingProblem, judgeTrace, type TraceSeen } from './judge.js';
import { printable } from './text.js';
import type { Problem, TraceCapture, TraceEvent, TraceEventBody, TraceOptions, TraceResult } from './types.js';

export const TRACE_DEFAULTS = {
  timeoutMs: 5000,
  maxFrames: 1000,
  previewBytes: 64,
  alpn: ['h2', 'http/1.1'],
  /** Most bytes (both directions) kept for the pcap: past it, "capture truncated". */
  captureBytes: 16 * 1024 * 1024,
  /** Most bytes a TLS handshake may read before it is abandoned as endless. */
  handshakeBytes: 1024 * 1024,
} as const;

type Stream = {
  write(b: Uint8Array): unknown;
  on(ev: 'data', f: (b: Buffer) => void): unknown;
  on(ev: 'end' | 'close', f: () => void): unknown;
  on(ev: 'error', f: (e: NodeJS.ErrnoException) => void): unknown;
  end(): unknown;
  destroy(): unknown;
};

/**
 * Trace one connection to `target`. Never rejects because the server misbehaved: what it did
 * becomes events. `onEvent` sees each event as it happens.
 */
export async function runTrace(target: Target, o: TraceOptions = {}, onEvent?: (e: TraceEvent) => void): Promise<TraceResult> {
  const t0 = performance.now();
  const epoch0 = Date.now();
  const timeoutMs = o.timeoutMs ?? TRACE_DEFAULTS.timeoutMs;
  const deadline = t0 + timeoutMs;
  const events: TraceEvent[] = [];
  const keylog: string[] = [];
  const errors: string[] = [];
  const epochNow = (): number => epoch0 + (performance.now() - t0);
  const emit = (body: TraceEventBody, problems?: Problem[]): void => {
    const e: TraceEvent = { ...body, t: round(performance.now() - t0) };
    if (problems?.length) e.problems = problems;
    for (const p of problems ?? []) if (p.level === 'error') errors.push(p.text);
    events.push(e);
    onEvent?.(e);
  };
  const startedAt = new Date(epoch0).toISOString();
  let seen: TraceSeen | undefined;
  const bytesOf = (dir: 'in' | 'out') => (capture0?.chunks ?? []).reduce((n, c) => (c.dir === dir ? n + c.data.length : n), 0);
  let capture0: TraceCapture | undefined;
  /** The diagnosis rules on what the trace saw so far (the same codes and words as diagnose). */
  const judge = (more: Partial<TraceSeen> = {}) => {
    if (!seen) return [];
    const now = { ...seen, ...more, bytesSent: bytesOf('out'), bytesReceived: bytesOf('in'), durationMs: round(performance.now() - t0) };
    return judgeTrace(target, now, startedAt);
  };
  const result = (capture?: TraceCapture): TraceResult => {
    const findings = judge().map((f) => ({ code: f.code, severity: f.severity, title: f.title }));
    return { url: target.url, events, keylog, errors, findings, ...(capture ? { capture } : {}) };
  };

  // Name → address: the first one (a trace is one connection; diagnose compares addresses).
  // Through a proxy the proxy resolves the name (CONNECT host:port), unless --resolve pins it.
  const route = routeFor(target, o.connectTo);
  const viaProxy = o.proxy && !pinFor({ ...target, host: route.host, port: route.port }, o.resolve ?? []) ? o.proxy : undefined;
  const res = viaProxy
    ? { source: 'literal' as const, addresses: [route.host], skipped: [] as string[], port: route.port, error: undefined as string | undefined }
    : await resolveRoute(target, { pins: o.resolve ?? [], ...(o.connectTo ? { connectTo: o.connectTo } : {}), ...(o.family ? { family: o.family } : {}), maxAddresses: 1, timeoutMs });
  const port = res.port;
  const address = res.addresses[0];
  emit(
    { kind: 'resolve', host: target.host, addresses: [...res.addresses, ...res.skipped], source: res.source, ...(res.error ? { error: res.error } : {}) },
    viaProxy ? [{ level: 'info', text: `through proxy ${viaProxy.url}: the proxy resolves ${route.host}` }] : address ? (res.skipped.length ? [{ level: 'info', text: `${res.skipped.length + 1} addresses; tracing the first (h2doctor diagnose compares them all)` }] : []) : [{ level: 'error', text: `the name does not resolve: ${res.error ?? 'no address'}` }],
  );
  if (!address) return result();

  const openedAt = epochNow();
  const conn = viaProxy ? await dialViaProxy(viaProxy, o.ca)(address, port, timeoutMs) : await connectTcp(address, port, timeoutMs);
  seen = { source: res.source === 'resolve-pin' || res.source === 'dns' ? res.source : 'literal', address, port, connect: conn.outcome, bytesSent: 0, bytesReceived: 0, durationMs: 0 };
  if (!conn.outcome.ok) {
    const out = conn.outcome;
    const why: Record<string, string> = {
      refused: 'connection refused: nothing listens on this port (or a firewall rejects)',
      timeout: `no TCP answer within ${timeoutMs} ms (a firewall drops the packets, or the host is down)`,
      reset: 'the connection was reset during connect',
      unreachable: 'the address is unreachable from here',
      other: out.message,
    };
    emit({ kind: 'connect', address, port, ok: false, ms: out.ms, error: out.errno ?? out.error }, [{ level: 'error', text: why[out.error] ?? out.message }, ...judge().map(findingProblem)]);
    return result();
  }
  const raw = conn.socket;
  emit({ kind: 'connect', address, port, ok: true, ms: conn.outcome.ms, ...(raw.localPort ? { localPort: raw.localPort } : {}) });

  const chunks: TraceCapture['chunks'] = [];
  const capture: TraceCapture = {
    client: { address: raw.localAddress ?? (address.includes(':') ? '::1' : '127.0.0.1'), port: raw.localPort ?? 0 },
    // Through a proxy the TCP peer is the proxy; the capture holds the tunnel's bytes.
    server: viaProxy ? { address: raw.remoteAddress ?? '127.0.0.1', port: raw.remotePort ?? viaProxy.port } : { address, port },
    openedAt,
    chunks,
    close: { by: 'client', at: openedAt },
  };
  capture0 = capture;
  // The capture budget: the pcap keeps the first bytes, says it was cut, and memory stays bounded.
  let captured = 0;
  const keep = (dir: 'in' | 'out', data: Uint8Array) => {
    if (capture.truncated) return;
    if (captured + data.length > (o.captureBytes ?? TRACE_DEFAULTS.captureBytes)) {
      capture.truncated = { bytes: captured, at: epochNow() };
      emit({ kind: 'note' }, [{ level: 'warning', text: `capture truncated at ${captured} bytes (the ${o.captureBytes ?? TRACE_DEFAULTS.captureBytes}-byte capture budget): the pcap holds the connection up to here` }]);
      return;
    }
    captured += data.length;
    chunks.push({ dir, at: epochNow(), data });
  };
  let rawReset = false;
  let rawEnded = false;
  raw.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'ECONNRESET' || e.code === 'EPIPE') rawReset = true;
  });
  raw.on('end', () => (rawEnded = true));

  let stream: Stream;
  const authority = target.port === (target.tls ? 443 : 80) ? hostForUrl(target.host) : `${hostForUrl(target.host)}:${target.port}`;

  if (target.tls) {
    const alpn = o.alpn ?? [...TRACE_DEFAULTS.alpn];
    let out: Uint8Array = new Uint8Array(0);
    let offered = false;
    const inbound: Uint8Array[] = [];
    let inboundBytes = 0;
    const hs = await tlsHandshake(raw, {
      sni: target.sni,
      verifyHost: target.host,
      alpn,
      ...(o.ca ? { ca: o.ca } : {}),
      ...(o.clientCert ? { clientCert: o.clientCert } : {}),
      deadline,
      // An endless handshake is abandoned with what arrived ("N handshake records, M bytes, no progress").
      maxBytes: TRACE_DEFAULTS.handshakeBytes,
      onKeylog: (line) => keylog.push(line.toString('latin1').trimEnd()),
      onOut: (c) => {
        keep('out', new Uint8Array(c));
        if (offered) return;
        out = concat([out, c]);
        const ch = clientHello(out);
        if (ch) {
          offered = true;
          emit(offerEvent(ch));
        }
      },
      onIn: (c) => {
        keep('in', new Uint8Array(c));
        if (inboundBytes < 64 * 1024) {
          inbound.push(c);
          inboundBytes += c.length;
        }
      },
    });
    const r = hs.result;
    const flight = summarizeServerFlight(concat(inbound), { maxBytes: 64 * 1024 });
    const sh = flight.serverHello;
    const problems: Problem[] = [];
    let group: string | undefined;
    const eph = hs.secure?.getEphemeralKeyInfo();
    if (eph && typeof eph === 'object' && 'name' in eph && eph.name) group = String(eph.name);
    else if (sh?.keyShare) group = groupName(sh.keyShare.group);
    else if (flight.serverKeyExchange?.groupName) group = flight.serverKeyExchange.groupName;
    const cipherName = r.cipher?.standardName ?? (sh ? cipherSuiteName(sh.cipherSuite) : undefined);
    const ev: TraceEventBody = {
      kind: 'tls',
      outcome: r.outcome,
      sni: r.sni,
      ...(r.version ? { version: r.version } : sh ? { version: versionName(sh.version) } : {}),
      ...(cipherName ? { cipher: cipherName } : {}),
      ...(group ? { group } : {}),
      ...(r.outcome === 'handshake' ? { alpn: r.alpn ?? null } : {}),
      ...(r.cert ? { cert: { subject: r.cert.subject, issuer: r.cert.issuer, validFrom: r.cert.validFrom, validTo: r.cert.validTo, altNames: r.cert.altNames } } : {}),
      ...(r.verify ? { verified: r.verify.ok } : {}),
      ...(r.verify && !r.verify.ok ? { verifyError: `${r.verify.code}: ${r.verify.message}` } : {}),
      ...(r.alert ? { alert: `${r.alert.level} ${r.alert.name} (${r.alert.code})` } : {}),
      ...(r.error ? { error: `${r.error.code}: ${r.error.message}` } : {}),
      ...(r.handshakeMs !== undefined ? { ms: r.handshakeMs } : {}),
    };
    seen.tls = { result: r, ...(hs.first ? { first: hs.first } : {}) };
    if (r.outcome === 'handshake') {
      // The TLS judgements (ALPN, the cipher block list, the certificate) are the diagnosis rules'.
      problems.push(...judge().map(findingProblem));
      // RFC 9113 §3.2: HTTP/2 over TLS is chosen by ALPN "h2"; the trace goes on, as gRPC would.
      if (r.alpn !== 'h2') problems.push({ level: 'info', text: 'continuing with HTTP/2 anyway, as a prior-knowledge client (gRPC) would' });
      if (r.verify && !r.verify.ok) problems.push({ level: 'info', text: `curl and browsers stop at the certificate; ${o.insecure ? 'accepted (-k)' : 'the trace goes on (like curl -k)'}` });
      emit(ev, problems);
    } else {
      const first = hs.first ?? classify(concat(inbound), rawReset ? 'reset' : 'eof');
      const why: Record<string, string> = {
        alert: `the server refused the handshake with TLS alert ${r.alert?.name ?? ''}`,
        closed: 'the server closed the connection during the TLS handshake',
        reset: 'the server reset the connection during the TLS handshake',
        timeout: `no TLS answer within ${timeoutMs} ms`,
        'not-tls': `the server answered the ClientHello with ${first.summary}: this port does not speak TLS (try http://)`,
        error: `the TLS handshake failed: ${r.error?.message ?? 'unknown error'}`,
      };
      seen.tls = { result: r, first };
      problems.push({ level: 'error', text: why[r.outcome] ?? r.outcome }, ...judge().map(findingProblem));
      emit(ev, problems);
      if (inboundBytes > 0 && r.outcome === 'not-tls') {
        const b = concat(inbound);
        emit({ kind: 'bytes', dir: 'in', length: b.length, summary: first.summary, text: printable(b.subarray(0, 200)), hex: toHex(b.subarray(0, 64)) });
      }
      capture.close = { by: r.outcome === 'timeout' ? 'client' : 'server', reset: rawReset || r.outcome === 'reset', at: epochNow() };
      emit({ kind: 'close', by: r.outcome === 'timeout' ? 'timeout' : rawReset ? 'reset' : r.outcome === 'error' || r.outcome === 'not-tls' ? 'client' : 'server', detail: r.outcome });
      raw.destroy();
      return result(capture);
    }
    stream = hs.secure!;
  } else {
    raw.on('data', (c: Buffer) => keep('in', new Uint8Array(c)));
    stream = {
      write: (b: Uint8Array) => {
        keep('out', b);
        return raw.write(b);
      },
      on: ((ev: string, f: (...a: any[]) => void) => raw.on(ev, f)) as Stream['on'],
      end: () => raw.end(),
      destroy: () => raw.destroy(),
    };
  }

  // ---- HTTP/2 (directly, or after Upgrade: h2c)
  const method = o.method ?? (o.data ? 'POST' : 'GET');
  const userAgent = o.userAgent ?? `h2doctor/${VERSION}`;
  const h2opts = {
    scheme: target.tls ? ('https' as const) : ('http' as const),
    authority,
    path: target.path,
    method,
    headers: o.headers ?? [],
    ...(o.data ? { data: o.data } : {}),
    userAgent,
    maxFrames: o.maxFrames ?? TRACE_DEFAULTS.maxFrames,
    previewBytes: o.previewBytes ?? TRACE_DEFAULTS.previewBytes,
  };

  return await new Promise<TraceResult>((resolveDone) => {
    let finished = false;
    let client: H2TraceClient | undefined;
    let upgradeBuf: Uint8Array | undefined;
    const finish = (by: 'client' | 'server' | 'reset' | 'timeout' | 'max-frames' | 'error', detail: string, problems: Problem[] = []): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const reset = by === 'reset';
      // Let the last writes (our GOAWAY, through TLS) reach the socket and the capture, then close.
      stream.end();
      let closed = false;
      const close = (): void => {
        if (closed) return;
        closed = true;
        capture.close = { by: by === 'server' || reset ? 'server' : 'client', reset, at: epochNow() };
        emit({ kind: 'close', by, detail }, problems);
        client?.ended(rawReset ? 'reset' : 'eof');
        stream.destroy();
        raw.destroy();
        if (client && seen) seen.h2 = client.evidence;
        resolveDone(result(capture));
      };
      raw.once('close', close);
      setTimeout(close, 100).unref();
    };
    const write = (b: Uint8Array): void => {
      if (!finished) stream.write(b);
    };
    const startH2 = (upgraded: boolean, rest?: Uint8Array): void => {
      client = new H2TraceClient(
        { ...h2opts, ...(upgraded ? { upgraded: true } : {}) },
        {
          emit,
          write,
          stop: (by, detail) => finish(by, detail),
        },
      );
      client.start();
      if (rest?.length) client.push(rest);
    };
    const timer = setTimeout(() => {
      const problems = client ? client.timedOut(timeoutMs) : [{ level: 'error' as const, text: `no complete answer to the Upgrade: h2c request within ${timeoutMs} ms` }];
      finish('timeout', `deadline of ${timeoutMs} ms (--timeout)`, problems);
    }, Math.max(1, deadline - performance.now()));

    stream.on('data', (c: Buffer) => {
      // While our close drains, the client still shows what arrives.
      if (client) return client.push(new Uint8Array(c));
      if (finished) return;
      upgradeBuf = concat([upgradeBuf ?? new Uint8Array(0), c]);
      onUpgradeBytes(upgradeBuf, false);
    });
    const onClose = (): void => {
      if (finished) return;
      const how = rawReset ? 'reset' : 'eof';
      let problems: Problem[] = [];
      if (client) problems = client.ended(how);
      else if (upgradeBuf) onUpgradeBytes(upgradeBuf, true);
      else {
        if (seen) seen.upgrade = { outcome: how === 'reset' ? 'reset' : 'closed' };
        problems = [
          { level: 'error', text: `the server ${how === 'reset' ? 'reset' : 'closed'} the connection without answering the Upgrade: h2c request` },
          { level: 'info', text: 'a TLS port closes like this when it gets cleartext: if this port speaks TLS, use https://' },
        ];
      }
      if (!finished) finish(how === 'reset' ? 'reset' : 'server', how === 'reset' ? 'the server reset the connection' : rawEnded || !target.tls ? 'the server closed the connection' : 'the connection closed', problems);
    };
    stream.on('end', onClose);
    stream.on('close', onClose);
    stream.on('error', () => onClose());

    /** The answer to `Upgrade: h2c`: 101 then HTTP/2, or an HTTP/1.1 response, or something else. */
    const onUpgradeBytes = (bytes: Uint8Array, ended: boolean): void => {
      let head;
      try {
        head = parseResponseHead(bytes, { maxHeadBytes: 64 * 1024 });
      } catch {
        const c = classify(bytes, ended ? 'eof' : 'open');
        if (c.first.kind === 'incomplete' && !ended) return;
        const k = c.first.kind;
        if (seen) seen.upgrade = { outcome: 'not-http', first: c };
        const text = k.startsWith('h2')
          ? `the server answered an HTTP/1.1 request with HTTP/2 frames (${c.summary}): it speaks HTTP/2 by prior knowledge only; try --http2-prior-knowledge`
          : k.startsWith('tls')
            ? `these bytes are TLS (${c.summary}): the port speaks TLS; use https://`
            : `the server answered the Upgrade: h2c request with ${c.summary}`;
        emit({ kind: 'bytes', dir: 'in', length: bytes.length, summary: c.summary, text: printable(bytes.subarray(0, 200)), hex: toHex(bytes.subarray(0, 64)) }, [{ level: 'error', text }]);
        finish('client', 'the server does not answer HTTP/1.1 here');
        return;
      }
      if (!head.complete) {
        if (ended) {
          emit({ kind: 'bytes', dir: 'in', length: bytes.length, summary: 'an incomplete HTTP/1.1 response head', text: printable(bytes.subarray(0, 200)), hex: toHex(bytes.subarray(0, 64)) }, [
            { level: 'error', text: 'the connection ended inside the HTTP/1.1 response head' },
          ]);
        }
        return;
      }
      const line = `${head.version} ${head.status} ${head.reason}`.trim();
      if (seen) seen.upgrade = { outcome: 'response', version: head.version.replace(/^HTTP\//, ''), status: head.status, reason: head.reason, headers: head.headers };
      const upgradeTo = head.headers.find(([k]) => k.toLowerCase() === 'upgrade')?.[1];
      // RFC 7540 §3.2: 101 Switching Protocols with Upgrade: h2c, then the server preface.
      if (head.status === 101 && upgradeTo?.toLowerCase() === 'h2c') {
        emit({ kind: 'http1', dir: 'in', line, headers: head.headers });
        startH2(true, bytes.subarray(head.headLength));
        return;
      }
      const problems: Problem[] = [];
      if (head.status === 101) problems.push({ level: 'error', text: `101 to ${upgradeTo ?? 'no Upgrade header'}, not h2c` });
      else if (head.status === 426) problems.push({ level: 'error', text: `426 Upgrade Required${upgradeTo ? ` (Upgrade: ${upgradeTo})` : ''}: the server wants another protocol for this request` });
      else problems.push({ level: 'error', text: `the server ignored Upgrade: h2c and answered over HTTP/1.1 (${line}): no h2c by upgrade here; try --http2-prior-knowledge, or https://` });
      emit({ kind: 'http1', dir: 'in', line, headers: head.headers }, problems);
      finish('client', 'no upgrade to HTTP/2');
    };

    if (target.tls || o.priorKnowledge) {
      startH2(false);
      return;
    }
    // RFC 7540 §3.2: the HTTP/1.1 request with Upgrade: h2c and our SETTINGS in HTTP2-Settings.
    const settingsPayload = encodeFrame(settingsFrame([{ id: SETTINGS.ENABLE_PUSH, value: 0 }])).subarray(9);
    const headers: Array<[string, string]> = [
      ['Host', authority],
      ['Connection', 'Upgrade, HTTP2-Settings'],
      ['Upgrade', 'h2c'],
      ['HTTP2-Settings', Buffer.from(settingsPayload).toString('base64url')],
      ['User-Agent', userAgent],
      ['Accept', '*/*'],
      ...(o.data ? [['Content-Length', String(o.data.length)] as [string, string]] : []),
      ...(o.headers ?? []),
    ];
    emit({ kind: 'http1', dir: 'out', line: `${method} ${target.path} HTTP/1.1`, headers });
    write(concat([encodeRequestHead(method, target.path, headers), o.data ?? new Uint8Array(0)]));
  });
}

/** The ClientHello in the first bytes we sent, once complete. */
function clientHello(bytes: Uint8Array): ParsedClientHello | undefined {
  try {
    const { records } = parseRecords(bytes, 16);
    const hs = new HandshakeReassembler({ maxMessageSize: 64 * 1024 });
    for (const r of records) if (r.type === 22) hs.push(r.body);
    const m = hs.next();
    return m ? parseClientHello(m.raw) : undefined;
  } catch {
    return undefined;
  }
}

function offerEvent(ch: ParsedClientHello): TraceEventBody {
  const versions = (ch.supportedVersions ?? [ch.legacyVersion]).filter((v) => !isGrease(v)).map(versionName);
  return {
    kind: 'tls-offer',
    sni: ch.serverName ?? null,
    alpn: [...(ch.alpn ?? [])],
    versions,
    ciphers: ch.cipherSuites.filter((c) => !isGrease(c)).map(cipherSuiteName),
    groups: (ch.supportedGroups ?? []).filter((g) => !isGrease(g)).map(groupName),
    keyShares: (ch.keyShares ?? []).filter((k) => !isGrease(k.group)).map((k) => groupName(k.group)),
  };
}

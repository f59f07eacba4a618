/**
 * TLS handshake failures and certificates (issue: TLS handshake diagnosis).
 * Evidence in, findings out; pure. The raw probes are looked up by label (`StageHelloLabel` in
 * src/model/tls-probes.ts, sent by src/probes/tls/plan.ts and survey.ts):
 * - refused default handshake: `mirror` (Node's hello, raw), `widest`, `narrow-*`, `widest-no-sni`, `sslv3`;
 * - healthy default handshake: `tls12-only`, `legacy`, `no-sni`, `mirror`, and `tls12-no-sni` (both
 *   questions in one hello; split into `tls12-only` and `no-sni` when its answer does not settle both);
 * - `--survey`: `survey-*`.
 * `tls-handshake-alert` is emitted only when none of them proves a more specific cause.
 */
import type { EvidenceItem, Probe } from '../../model/index.js';
import { addressRule, type RawFinding } from '../raw.js';
import type { Code } from '../../model/codes.js';
import type { BisectHelloLabel, RawTlsResult, StageHelloLabel, TlsStageResult } from '../../model/tls-probes.js';
import { evidenceItem, kindProbe, probe, tcpProbe, type AddressEvidence } from '../evidence.js';
import { isCleartextHttp } from './protocol.js';

type Raw = Extract<Probe, { kind: 'tls-raw' }>;
type TlsProbe = NonNullable<ReturnType<typeof probe<'tls-default'>>>;
/** A raw probe of the TLS stage by its label (a label the stage never sends is a type error). */
type By = (label: StageHelloLabel) => Raw | undefined;

const accepted = (p: Raw | undefined): p is Raw => p?.raw.outcome === 'server-hello' || p?.raw.outcome === 'hello-retry';
/**
 * The server refused this hello: with an alert, or by hanging up (close or reset) twice in a row on
 * the same hello. One hang-up alone proves nothing (a loaded server, a dropped connection), and a
 * connection that was never made is no answer at all.
 */
const refused = (p: Raw | undefined): boolean => {
  if (!p || !p.connect.ok) return false;
  if (p.raw.outcome === 'alert') return true;
  if (p.raw.outcome !== 'closed' && p.raw.outcome !== 'reset') return false;
  const again = p.raw.repeat?.outcome;
  return again === 'closed' || again === 'reset' || again === 'alert';
};

/** One line for what a raw hello got back. */
export function rawAnswer(r: RawTlsResult): string {
  switch (r.outcome) {
    case 'server-hello':
      return `ServerHello ${r.version} ${r.cipher}${r.group ? `, ${r.group}` : ''}${r.alpn !== undefined ? `, ALPN ${r.alpn ?? 'none'}` : ''}${r.certificateRequest ? ', CertificateRequest' : ''}`;
    case 'hello-retry':
      return `HelloRetryRequest ${r.version} ${r.cipher}, asking for ${r.group}`;
    case 'alert':
      return `alert ${r.alert?.name} (${r.alert?.code})`;
    default:
      return `${r.outcome}${r.detail ? ` (${r.detail})` : ''}`;
  }
}

export function rawOffer(r: RawTlsResult): string {
  const o = r.offer;
  const ciphers = o.ciphers ? o.ciphers.join(', ') : `${o.cipherCount} suites`;
  // A wide offer's groups come summarised ("54 groups"); name them only when they are few.
  const groups = o.groups.length === 1 && /^\d+ groups$/.test(o.groups[0]!) ? o.groups[0] : `groups ${o.groups.join(', ')}`;
  return `${o.versions.join('/')}, ${ciphers}, ${groups}, ${o.sigalgCount} signature schemes, ALPN ${o.alpn ? o.alpn.join(',') : 'none'}, SNI ${o.sni ?? 'none'}`;
}

const item = (p: Raw, text?: string): EvidenceItem => ({ probe: p.id, text: text ?? `${p.purpose} — offered ${rawOffer(p.raw)} → ${rawAnswer(p.raw)}` });

function defaultRefusal(d: TlsProbe): string {
  const t = d.tls;
  const what = t.outcome === 'alert' ? `a ${t.alert!.level} alert ${t.alert!.name} (${t.alert!.code})` : t.outcome === 'reset' ? 'a reset' : 'a close without an alert';
  return `Node's ClientHello (TLS 1.2–1.3, ALPN ${t.offeredAlpn.join(',')}${t.sni ? `, SNI ${t.sni}` : ', no SNI'}) was answered with ${what}`;
}

/**
 * The TLS family: what a refused handshake proves (bisection), version support, SNI, client
 * certificates, the certificate itself, and the server's clock.
 * @example tlsRule(ev).map((f) => f.code) // e.g. ['tls13-not-supported']
 */
export const tlsRule = addressRule('tls', [
  'tls-client-cert-required', 'tls-version-too-old', 'tls-no-shared-cipher', 'tls-no-shared-group', 'tls-handshake-alert',
  'tls-sni-unknown-name', 'tls-malformed-response', 'tls-legacy-version-enabled', 'clock-skew', 'tls12-not-supported',
  'tls13-not-supported', 'tls-sni-required', 'cert-expired', 'cert-not-yet-valid', 'cert-chain-incomplete', 'cert-untrusted',
  'cert-hostname-mismatch',
], (ev) => {
  const tcp = tcpProbe(ev);
  if ((tcp && !tcp.connect.ok) || !ev.target.tls) return [];
  const d = probe(ev, 'tls-default');
  if (!d) return [];
  const raws = ev.probes.filter((p): p is Raw => p.kind === 'tls-raw');
  const by: By = (label) => raws.find((p) => p.label === label);
  const stage = kindProbe(ev, 'tls-stage')?.stage;
  const out: RawFinding[] = [];
  const t = d.tls;

  if (t.outcome === 'alert' || t.outcome === 'closed' || t.outcome === 'reset') out.push(...refusal(d, by));
  const malformed = malformedAnswer(ev, d, raws);
  if (malformed) out.push(malformed);
  if (t.outcome === 'handshake') out.push(...healthy(ev, d, by, raws, stage));
  const versionTooOld = out.some((f) => f.code === 'tls-version-too-old');
  // TLS 1.0 / 1.1 accepted by any raw hello (checks, bisection or survey).
  const legacy = raws.filter((p) => accepted(p) && (p.raw.versionCode ?? 0x0303) < 0x0303);
  if (legacy.length && !versionTooOld) {
    const versions = [...new Set(legacy.map((p) => p.raw.version!))];
    out.push({ code: 'tls-legacy-version-enabled', detail: versions.join(', '), evidence: legacy.slice(0, 3).map((p) => item(p)) });
  }
  const clock = stage?.clock;
  if (clock && Math.abs(clock.skewSeconds) > 300) {
    out.push({
      code: 'clock-skew',
      detail: `${clock.skewSeconds > 0 ? 'server ahead by' : 'server behind by'} ${formatSeconds(Math.abs(clock.skewSeconds))}`,
      evidence: [{ probe: clock.probe, text: `the server's Date header says ${clock.serverDate}; the local clock said ${clock.localTime} when it arrived (difference ${clock.skewSeconds} s)` }],
    });
  }
  return out;
});

/** The default handshake was refused: what did the bisection prove? */
function refusal(d: TlsProbe, by: By): RawFinding[] {
  const t = d.tls;
  const head = evidenceItem(d.id, defaultRefusal(d), d.first);
  const mirror = by('mirror');
  const widest = by('widest');
  const found: RawFinding[] = [];

  // RFC 6066 §3: unrecognized_name (112) is the server saying it has no virtual host for the name
  // sent (nginx `ssl_reject_handshake on` in the default server, HAProxy `strict-sni`). A name
  // refused this way is the cause whatever the other parameters were.
  const sni112 = unknownNameRefusal(d, head, by);
  if (sni112) return [sni112];

  if (accepted(mirror)) {
    if (mirror.raw.certificateRequest) {
      return [{ code: 'tls-client-cert-required', detail: t.alert ? `${t.alert.name} (${t.alert.code})` : t.outcome, evidence: [head, item(mirror, `the same hello sent raw: the server answered ${rawAnswer(mirror.raw)}: it asks for a client certificate, and aborts when none comes`)] }];
    }
  } else if (accepted(widest) && refused(mirror)) {
    const w = widest.raw;
    if ((w.versionCode ?? 0) < 0x0303) {
      found.push({ code: 'tls-version-too-old', detail: w.version, evidence: [head, item(mirror!), item(widest, `offered TLS 1.0–1.3: the server chose ${w.version} (${w.cipher}); a server picks the highest version it has, so it has nothing newer`)] });
    }
    const narrow: Array<[BisectHelloLabel, Code, string]> = [
      ['narrow-version', 'tls-version-too-old', 'versions'],
      ['narrow-cipher', 'tls-no-shared-cipher', 'cipher suites'],
      ['narrow-group', 'tls-no-shared-group', 'groups'],
      ['narrow-sigalg', 'tls-handshake-alert', 'signature algorithms'],
      ['narrow-alpn', 'tls-handshake-alert', 'ALPN list'],
    ];
    for (const [label, code, what] of narrow) {
      const p = by(label);
      if (!refused(p) || found.some((f) => f.code === code && code !== 'tls-handshake-alert')) continue;
      const detail =
        code === 'tls-no-shared-cipher'
          ? `the server accepts ${w.cipher}${w.version ? ` (${w.version})` : ''}, which Node does not offer`
          : code === 'tls-no-shared-group'
            ? `the server wants ${w.group ?? 'a group'} Node does not offer`
            : code === 'tls-version-too-old'
              ? `${w.version}`
              : `${t.alert ? `${t.alert.name} (${t.alert.code})` : t.outcome}, caused by the client's ${what}`;
      found.push({
        code,
        detail,
        evidence: [head, item(widest, `the widest hello (${rawOffer(w)}) is accepted: ${rawAnswer(w)}`), item(p!, `the same hello with only Node's ${what} is refused: ${rawAnswer(p!.raw)}`)],
      });
    }
  } else if (refused(widest)) {
    const noSni = by('widest-no-sni');
    const ssl3 = by('sslv3');
    if (accepted(noSni)) {
      found.push({
        code: 'tls-sni-unknown-name',
        detail: `${t.sni}${t.alert ? `: ${t.alert.name} (${t.alert.code})` : ''}`,
        evidence: [head, item(widest!, `the widest hello with SNI ${t.sni} is refused too: ${rawAnswer(widest!.raw)}`), item(noSni, `the same hello without SNI is accepted: ${rawAnswer(noSni.raw)}`)],
      });
    } else if (accepted(ssl3)) {
      found.push({ code: 'tls-version-too-old', detail: 'SSLv3', evidence: [head, item(widest!), item(ssl3, `an SSL 3.0 hello is accepted: ${rawAnswer(ssl3.raw)}`)] });
    }
  }
  // Every hello refused with handshake_failure, the widest too (all versions, every suite, group and
  // signature scheme, with and without SNI): the server can select no cipher suite at all. The usual
  // server mistake is a certificate whose key type fits none of its enabled suites (an ECDSA key
  // with only ECDHE-RSA-* suites, or the reverse) on a server without TLS 1.3.
  if (!found.length && t.alert?.code === 40) {
    const all = [mirror, widest, by('widest-no-sni')];
    if (all.every((p) => p?.raw.outcome === 'alert' && p.raw.alert?.code === 40)) {
      const w = widest!;
      found.push({
        code: 'tls-no-shared-cipher',
        detail: 'the server accepts no cipher suite at all',
        evidence: [
          head,
          item(w, `the widest hello (${rawOffer(w.raw)}) is refused too: ${rawAnswer(w.raw)}`),
          item(by('widest-no-sni')!, `the same without SNI: ${rawAnswer(by('widest-no-sni')!.raw)}: no name, version, group or signature scheme makes a difference`),
        ],
      });
    }
  }
  if (!found.length && t.outcome === 'alert') {
    const tried = [mirror, widest, by('widest-no-sni'), by('sslv3')].filter((p): p is Raw => !!p);
    const note = accepted(mirror) ? ' (the same hello sent raw is accepted: the refusal comes later in the handshake)' : tried.length ? '; no single parameter explains it' : '';
    found.push({
      code: 'tls-handshake-alert',
      detail: `${t.alert!.name} (${t.alert!.code})`,
      evidence: [{ ...head, text: head.text + note }, ...tried.map((p) => item(p))],
    });
  }
  return found;
}

/** A fatal unrecognized_name (112) to the name sent, and to no name too when the server was tried without SNI. */
function unknownNameRefusal(d: TlsProbe, head: EvidenceItem, by: By): RawFinding | undefined {
  const t = d.tls;
  const is112 = (a: { code: number } | undefined) => a?.code === 112;
  const widest = by('widest');
  const noSni = by('widest-no-sni');
  const mirror = by('mirror');
  if (!is112(t.alert) && !is112(mirror?.raw.alert) && !is112(widest?.raw.alert)) return undefined;
  const evidence: EvidenceItem[] = [head];
  for (const p of [mirror, widest]) if (p && p.raw.outcome === 'alert') evidence.push(item(p));
  let detail = `${t.sni ?? '(no SNI)'} refused with unrecognized_name (112)`;
  if (noSni) {
    if (is112(noSni.raw.alert)) {
      detail += '; a hello without SNI is refused the same way (the default server rejects every unknown name)';
      evidence.push(item(noSni, `without SNI: ${rawAnswer(noSni.raw)}: the default virtual host refuses every name it does not know`));
    } else if (accepted(noSni)) {
      detail += `; without SNI the server answers (${rawAnswer(noSni.raw)}${noSni.raw.cert ? `, certificate ${noSni.raw.cert.subject}` : ''})`;
      evidence.push(item(noSni, `without SNI the same hello is accepted: ${rawAnswer(noSni.raw)}`));
    } else evidence.push(item(noSni));
  }
  return { code: 'tls-sni-unknown-name', detail, evidence };
}

/** The default handshake worked: warnings, the certificate, and what the cheap checks showed. */
function healthy(ev: AddressEvidence, d: TlsProbe, by: By, raws: Raw[], stage: TlsStageResult | undefined): RawFinding[] {
  const t = d.tls;
  const out: RawFinding[] = [];
  const sni = t.sni;
  // A TLS 1.3 answer to Node's hello, and a TLS 1.2-only hello refused.
  const t12 = by('tls12-only') ?? by('survey-TLSv1.2') ?? by('tls12-no-sni') ?? by('survey-TLSv1.2-no-sni');
  if (t.version === 'TLSv1.3' && refused(t12)) {
    out.push({ code: 'tls12-not-supported', evidence: [{ probe: d.id, text: `Node's hello got ${t.version} ${t.cipher?.standardName}` }, item(t12!)] });
  }
  // RFC 8446 §4.2.1: offered 1.3 and 1.2, a server with TLS 1.3 picks it.
  if (t.version === 'TLSv1.2') {
    out.push({ code: 'tls13-not-supported', evidence: [{ probe: d.id, text: `Node offered TLS 1.3 and 1.2 (supported_versions); the server chose TLSv1.2 (${t.cipher?.standardName}), so it has no TLS 1.3` }] });
  }
  // Without SNI: refused, or another certificate that does not cover the name.
  const noSni = by('no-sni') ?? by('survey-no-sni') ?? by('tls12-no-sni') ?? by('survey-TLSv1.2-no-sni');
  if (sni && noSni) {
    if (refused(noSni)) {
      out.push({ code: 'tls-sni-required', detail: `refused: ${rawAnswer(noSni.raw)}`, evidence: [{ probe: d.id, text: `with SNI ${sni}: ${t.version}, handshake completes` }, item(noSni)] });
    } else if (accepted(noSni) && noSni.raw.cert && t.cert && noSni.raw.cert.fingerprint256 !== t.cert.fingerprint256 && !noSni.raw.cert.coversHost && t.hostname?.ok !== false) {
      out.push({
        code: 'tls-sni-required',
        detail: `another certificate (${noSni.raw.cert.subject}) is served without SNI`,
        evidence: [{ probe: d.id, text: `with SNI ${sni}: certificate ${t.cert.subject} (covers ${ev.target.host})` }, item(noSni, `without SNI: certificate ${noSni.raw.cert.subject} [${noSni.raw.cert.altNames.join(', ')}], which does not cover ${ev.target.host}`)],
      });
    }
  }
  // A client certificate demanded: the raw hellos saw a CertificateRequest and the HTTP probes were cut off.
  const certReq = raws.find((p) => accepted(p) && p.raw.certificateRequest);
  const h2 = probe(ev, 'h2-tls');
  const h1 = probe(ev, 'h1-tls');
  const httpRefused = [h2?.tls, h1?.tls].some((x) => x?.outcome === 'alert' && (x.alert?.code === 116 || x.alert?.code === 40 || x.alert?.code === 42));
  const httpDead = h2?.h2.outcome !== 'response' && h1?.h1.outcome !== 'response';
  // The handshake completes without a certificate and the server refuses at the HTTP layer instead:
  // nginx `ssl_verify_client on` answers every request "400 No required SSL certificate was sent"
  // (its internal 496), Apache under TLS 1.3 a 403. Only when no answer is a success.
  const statuses = [h2?.h2.outcome === 'response' ? h2.h2.status : undefined, h1?.h1.outcome === 'response' ? h1.h1.status : undefined].filter((x): x is number => x !== undefined);
  const httpDenied = statuses.length > 0 && statuses.every((s) => s === 400 || s === 403 || s === 495 || s === 496);
  if (certReq && (httpRefused || httpDead || httpDenied)) {
    const ex = [h2, h1].find((p) => p && p.tls?.outcome === 'alert');
    out.push({
      code: 'tls-client-cert-required',
      detail: ex?.tls?.alert ? `${ex.tls.alert.name} (${ex.tls.alert.code})` : httpDenied && !httpDead ? `every request answered ${[...new Set(statuses)].join('/')} without a client certificate` : 'no response without a client certificate',
      evidence: [
        item(certReq, `the server sends a CertificateRequest: ${rawAnswer(certReq.raw)}`),
        ...[h2, h1]
          .filter((p) => !!p)
          .map((p) => ({
            probe: p!.id,
            text: `without a client certificate: ${p!.tls?.outcome === 'alert' ? `alert ${p!.tls.alert?.name} (${p!.tls.alert?.code})` : p!.kind === 'h2' ? `HTTP/2 ${p!.h2.outcome === 'response' ? p!.h2.status : p!.h2.outcome}` : `HTTP/1.1 ${p!.h1.outcome === 'response' ? `${p!.h1.status}${denialText(p!.h1.bodyPreview)}` : p!.h1.outcome}`}`,
          })),
      ],
    });
  }
  out.push(...certificate(ev, d, by, stage));
  return out;
}

/** The server's own words when its error page says why (nginx: "No required SSL certificate was sent"). */
function denialText(body: string | undefined): string {
  const m = body?.match(/No required SSL certificate was sent|certificate[^<\n]{0,80}/i);
  return m ? ` "${m[0].slice(0, 100)}"` : '';
}

/** Node's verification of the chain and the name, and the dates against the local clock. */
function certificate(ev: AddressEvidence, d: TlsProbe, by: By, stage: TlsStageResult | undefined): RawFinding[] {
  const t = d.tls;
  const c = t.cert;
  if (!c) return [];
  const out: RawFinding[] = [];
  const e = (text: string): EvidenceItem => ({ probe: d.id, text });
  const chain = `chain sent: ${c.chainSubjects.length} certificate(s) [${c.chainSubjects.join(' ← ')}]`;
  const now = Date.parse(stage?.localTime ?? '') || undefined;
  const code = t.verify && !t.verify.ok ? t.verify.code : undefined;
  const from = Date.parse(c.validFrom);
  const to = Date.parse(c.validTo);
  if (code === 'CERT_HAS_EXPIRED' || (now && to < now)) {
    out.push({ code: 'cert-expired', detail: c.validTo, evidence: [e(`certificate ${c.subject}: notAfter ${c.validTo}${now ? `, local clock ${new Date(now).toISOString()}` : ''}${code ? ` (Node: ${code})` : ''}`)] });
  }
  if (code === 'CERT_NOT_YET_VALID' || (now && from > now)) {
    out.push({ code: 'cert-not-yet-valid', detail: c.validFrom, evidence: [e(`certificate ${c.subject}: notBefore ${c.validFrom}${now ? `, local clock ${new Date(now).toISOString()}` : ''}${code ? ` (Node: ${code})` : ''}`)] });
  }
  if (code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || (code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' && c.chainSubjects.length <= 1 && !c.selfSigned)) {
    out.push({ code: 'cert-chain-incomplete', detail: c.issuer, evidence: [e(`the server sends the leaf alone, issued by ${c.issuer}, which is neither sent nor in the trust store; ${chain} (Node: ${code})`)] });
  } else if (code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN' || code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' || code === 'UNABLE_TO_GET_ISSUER_CERT' || code === 'CERT_UNTRUSTED' || code === 'CERT_SIGNATURE_FAILURE') {
    const why = code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ? 'the certificate is self-signed' : code === 'SELF_SIGNED_CERT_IN_CHAIN' ? 'the chain ends in a root that is not trusted' : 'the issuer is not trusted';
    out.push({ code: 'cert-untrusted', detail: why, evidence: [e(`${why}: ${c.subject}, issuer ${c.issuer}; ${chain} (Node: ${code})`)] });
  }
  const nameBad = code === 'ERR_TLS_CERT_ALTNAME_INVALID' || t.hostname?.ok === false;
  if (nameBad) {
    // Said the server it does not know the name (unrecognized_name, RFC 6066 §3)? Then that is the cause.
    const mirror = by('mirror');
    const unknown = mirror?.raw.warnings?.find((w) => w.code === 112) ?? (mirror?.raw.alert?.code === 112 ? mirror.raw.alert : undefined);
    if (mirror && unknown) {
      out.push({
        code: 'tls-sni-unknown-name',
        detail: `${t.sni}: unrecognized_name (112), then a default certificate`,
        evidence: [item(mirror, `SNI ${t.sni}: the server sent a warning alert unrecognized_name (112) before its ServerHello, then ${rawAnswer(mirror.raw)}`), e(`the certificate served, ${c.subject} [${c.altNames.join(', ')}], does not cover ${ev.target.host}`)],
      });
    } else {
      out.push({ code: 'cert-hostname-mismatch', detail: ev.target.host, evidence: [e(`certificate ${c.subject} covers [${c.altNames.join(', ') || 'no subjectAltName'}], not ${ev.target.host}${t.hostname && !t.hostname.ok ? ` (${t.hostname.message})` : ''}`)] });
    }
  }
  return out;
}

function formatSeconds(s: number): string {
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${Math.round(s / 86400)} days`;
}

/**
 * The answer to our ClientHello was bytes, but not a usable TLS handshake: another protocol (not
 * HTTP, which is scheme-https-on-cleartext-port), a malformed or oversized record, or a record that
 * never completes. RFC 8446 §5.1: records are type, version, length ≤ 2^14 (+256), then that many bytes.
 */
function malformedAnswer(ev: AddressEvidence, d: TlsProbe, raws: Raw[]): RawFinding | undefined {
  const t = d.tls;
  if (!['not-tls', 'timeout', 'error'].includes(t.outcome) || d.bytesReceived === 0) return undefined;
  if (isCleartextHttp(d.first)) return undefined;
  const sniff = probe(ev, 'sniff-http1');
  if (sniff?.h1.outcome === 'response') return undefined;
  const what =
    t.outcome === 'not-tls'
      ? `bytes that are not TLS: ${d.first?.summary ?? 'unrecognised'}`
      : t.outcome === 'timeout'
        ? `${d.bytesReceived} byte(s) of a TLS answer (${d.first?.summary ?? 'partial record'}) that never completed in ${Math.round(d.durationMs)} ms`
        : `a TLS answer the local TLS library rejected (${t.error?.code ?? 'error'}: ${t.error?.message ?? ''})`;
  const evidence: EvidenceItem[] = [evidenceItem(d.id, `our ClientHello was answered with ${what}`, d.first)];
  for (const r of raws.slice(0, 2)) {
    if (r.raw.outcome === 'not-tls' || r.raw.outcome === 'malformed' || r.raw.outcome === 'timeout') evidence.push(item(r));
  }
  return { code: 'tls-malformed-response', detail: what, evidence };
}

// Writes src/diagnosis/knowledge/printed.ts: the "clients print" lines of every finding code, from
// what real clients printed in corpus/clients.json and clients-hostile.json for that cause (one line per client family, the
// recording's host and port as {host} and {port}, which the diagnosis fills in). A code no recording
// covers gets the samples of the explain catalogue entries whose first cause it is, each with the
// entry's public source; a code with neither prints no lines.
//
//   npm run build && node corpus/printed.mjs          # after re-recording (corpus/record.sh)
import { readFileSync, writeFileSync } from 'node:fs';
import { printable } from './hosts.mjs';

// clients.json and clients-hostile.json (the hostile servers, recorded with --hostile): both are real recordings.
const corpus = JSON.parse(readFileSync(new URL('./clients.json', import.meta.url), 'utf8'));
const hostile = JSON.parse(readFileSync(new URL('./clients-hostile.json', import.meta.url), 'utf8'));
corpus.records = [...corpus.records, ...hostile.records];
const { CODES } = await import('../dist/model/codes.js');
const { CATALOGUE } = await import('../dist/explain/catalogue/index.js');
const { explain } = await import('../dist/explain/index.js');
const OUT = new URL('../src/diagnosis/knowledge/printed.ts', import.meta.url);
const MAX_LINES = 6;
const MAX_LENGTH = 320;

/** The client families, in the order their lines are shown. */
const FAMILIES = [
  ['curl', /^curl$/],
  ['go', /^go-/],
  ['node', /^node-(?!grpc)/],
  ['python', /^python-(?!grpcio)/],
  ['java', /^java-|^okhttp$/],
  ['grpc', /grpc/],
  ['chromium', /^chromium/],
  ['openssl', /^openssl/],
  ['gnutls', /^gnutls/],
  ['wget', /^wget$/],
  ['nghttp', /^nghttp$/],
];
const familyOf = (client) => FAMILIES.find(([, re]) => re.test(client))?.[0] ?? client;

/** A line worth quoting: it says something (not a brace, a bare `code:` field, a harness line). */
// The harness's own lines are no client's print: its deadline messages ("recorder: …") and the
// status lines it writes for client APIs that hand the status back without printing it.
// Node's util.inspect fields ("  code: 'X',", "[Symbol(status-code)]: 1002") frame an error, they do not say it.
const quotable = (l) => l.trim().length > 12 && !/^\s*[{}\]]|^\s+\w+: |^\s*\[Symbol\(/.test(l) && l.length <= MAX_LENGTH && !/recorder: /.test(l) && !/^(?:HTTP(?:\/[\d.]+)?|h2|http\/1\.[01]) \d{3}\b/.test(l) && !/:$/.test(l.trim());

/**
 * Codes no client prints anything of its own for, and why: the finding is a comparison, a warning
 * about what works, or a consequence whose clients print another code's lines. Each such code prints
 * no line; every other code must have recorded or cited lines (printed.test.ts).
 */
const SILENT = {
  'dns-addresses-disagree': 'a comparison of addresses: each client prints the error (or nothing) of the address it happened to reach, which that address\'s own findings show',
  'vantage-points-disagree': 'a comparison of vantage points: each client prints what its own vantage point meets, which that vantage point\'s findings show',
  'tls-legacy-version-enabled': 'nothing fails: current clients negotiate TLS 1.2 or 1.3 and print nothing; only a scan sees the old versions',
  'upgrade-problem-details-missing': 'clients print the 426 status they got (the lines of upgrade-required-h2 and upgrade-header-missing); a missing Problem Details body prints nothing of its own',
  'websocket-over-h2-unsupported': 'clients (browsers included) open the WebSocket over HTTP/1.1 instead, silently',
  'deprecation-announced': 'clients do not print Deprecation, Sunset or Link fields: it takes logging them',
  'client-handshake-fails': 'the clients named print the lines of the cause the evidence names per client (tls12-not-supported, tls-no-shared-cipher, alpn-no-h2…)',
  'client-falls-back-to-http1': 'clients that fall back print nothing: they go on over HTTP/1.1; gRPC prints the lines of alpn-no-h2 or h2c-not-supported',
  'proxy-alters-alpn': 'clients behind the proxy go on over HTTP/1.1 silently; HTTP/2-only clients print the lines of alpn-no-h2',
  'tls-interception-suspected': 'clients that trust the inspecting CA print nothing; clients that do not print the lines of cert-untrusted',
};

/**
 * The lines to quote from `records` for `code`: every quotable line of every record, scored by what
 * explain reads in it (a line whose evidence points at this code, first or among the top three,
 * beats one that only frames the error); one line per family; families whose lines carry no evidence
 * for the code are left out, unless no family's do (then what the clients printed is all there is).
 */
function pick(records, code) {
  const byFamily = new Map();
  for (const r of records) {
    for (const raw of r.text.split('\n')) {
      const line = printable(raw);
      if (!quotable(line)) continue;
      const fam = familyOf(r.client);
      const m = byFamily.get(fam) ?? new Map();
      let cur = m.get(line);
      if (!cur) {
        const top = explained(raw).slice(0, 3);
        cur = { client: r.client, line, n: 0, points: top[0] === code ? 2 : top.includes(code) ? 1 : 0 };
        m.set(line, cur);
      }
      cur.n++;
      byFamily.set(fam, m);
    }
  }
  const best = FAMILIES.map(([fam]) => byFamily.get(fam)).filter(Boolean).map((m) => [...m.values()].sort((a, b) => b.points - a.points || b.n - a.n || a.line.length - b.line.length || a.line.localeCompare(b.line))[0]);
  const pointing = best.filter((b) => b.points > 0);
  return (pointing.length ? pointing : best).slice(0, MAX_LINES).map((b) => ({ client: b.client, line: b.line, source: 'recorded' }));
}
const explainedCache = new Map();
function explained(raw) {
  let codes = explainedCache.get(raw);
  if (!codes) explainedCache.set(raw, (codes = explain(raw).causes.map((c) => c.code)));
  return codes;
}

/** The server kind of a recording's server banner (`nginx version: nginx/1.22.1`), as the diagnosis names it from a Server field; the lab's are not one. */
const BANNERS = [
  [/\bnginx\b/i, 'nginx'],
  [/\bapache\b/i, 'apache'],
  [/\bhaproxy\b/i, 'haproxy'],
  [/\blighttpd\b/i, 'lighttpd'],
  [/\bnghttpd\b/i, 'nghttpd'],
  [/\bsquid\b/i, 'squid'],
  [/\btinyproxy\b/i, 'tinyproxy'],
  [/\bh2o\b/i, 'h2o'],
];
const kindOfScenario = (r) => BANNERS.find(([re]) => re.test(r.server))?.[1] ?? (/^caddy-/.test(r.scenario) ? 'caddy' : undefined);

/** The scheme a scenario's clients were pointed at, from the URLs they printed: 'https' or 'http', or undefined when they did not say. */
const schemes = new Map();
for (const r of corpus.records) {
  const n = schemes.get(r.scenario) ?? { tls: 0, clear: 0 };
  n.tls += (r.text.match(/\b(?:https|wss):\/\//g) ?? []).length;
  n.clear += (r.text.match(/\b(?:http|ws):\/\//g) ?? []).length;
  schemes.set(r.scenario, n);
}
const schemeOf = (scenario) => {
  const n = schemes.get(scenario);
  return !n || n.tls === n.clear ? undefined : n.tls > n.clear ? 'https' : 'http';
};

const out = {};
/** Per code, per "<server kind> <scheme>": the lines recorded against that server, where they differ from the code's lines. */
const byServer = {};
for (const code of Object.keys(CODES)) {
  const records = corpus.records.filter((r) => r.expect[0] === code);
  const lines = pick(records, code);
  const keyed = new Map();
  for (const r of records) {
    const kind = kindOfScenario(r);
    const scheme = schemeOf(r.scenario);
    if (!kind || !scheme) continue;
    const key = `${kind} ${scheme}`;
    keyed.set(key, [...(keyed.get(key) ?? []), r]);
  }
  for (const [key, rs] of [...keyed].sort(([a], [b]) => a.localeCompare(b))) {
    const own = pick(rs, code);
    if (own.length && JSON.stringify(own) !== JSON.stringify(lines)) (byServer[code] ??= {})[key] = own;
  }
  if (lines.length === 0) {
    for (const e of CATALOGUE) {
      if (e.causes[0]?.code !== code || !e.samples.length) continue;
      lines.push({ client: e.clients[0] ?? e.id, line: e.samples[0], source: e.source });
      if (lines.length >= 4) break;
    }
  }
  out[code] = lines;
  if (lines.length && SILENT[code]) throw new Error(`${code} is recorded now: take it off SILENT in corpus/printed.mjs`);
}

const esc = (s) => JSON.stringify(s);
const lineOf = (l) => `{ client: ${esc(l.client)}, line: ${esc(l.line)}, source: ${esc(l.source)} }`;
const serverBody = Object.entries(byServer)
  .map(([code, keys]) => `  ${esc(code)}: {\n${Object.entries(keys).map(([key, ls]) => `    ${esc(key)}: [\n${ls.map((l) => `      ${lineOf(l)},`).join('\n')}\n    ],`).join('\n')}\n  },`)
  .join('\n');
const body = Object.entries(out)
  .map(([code, lines]) => `  ${esc(code)}: [${lines.length ? '\n' + lines.map((l) => `    { client: ${esc(l.client)}, line: ${esc(l.line)}, source: ${esc(l.source)} },`).join('\n') + '\n  ' : ''}],`)
  .join('\n');
writeFileSync(
  OUT,
  `/**
 * What real clients print for each finding code: the "clients print" lines of the knowledge.
 * GENERATED by \`node corpus/printed.mjs\` from corpus/clients.json (recorded ${corpus.recorded} by
 * corpus/record.sh): do not edit by hand. \`source: 'recorded'\` lines are verbatim recordings with the
 * recording's host and port as {host} and {port}; the others are explain catalogue samples with the
 * entry's public source. src/diagnosis/knowledge/printed.test.ts checks both.
 */
import type { Code } from '../../model/codes.js';

/**
 * One line a real client printed: the client, the line ({host} and {port} in place of the recording's), and where it comes from.
 * @example { client: 'curl', line: 'curl: (6) Could not resolve host: {host}', source: 'recorded' }
 */
export interface PrintedLine {
  /** The client that printed it (a corpus client id, or the catalogue entry's first client). */
  client: string;
  line: string;
  /** 'recorded' (corpus/clients.json), or the public source the line is cited from. */
  source: string;
}

// Partial: a code added to the contract after the last generation prints no line until the next one.
/**
 * What real clients print for each code: recorded (corpus/clients.json) or cited from public source.
 * @example PRINTED['tcp-refused']?.[0].client // 'curl'
 */
export const PRINTED: Partial<Record<Code, readonly PrintedLine[]>> = {
${body}
};

/**
 * Codes whose clients print nothing of their own, and why (every other code prints lines).
 * @example SILENT['deprecation-announced'] // 'clients do not print Deprecation, Sunset or Link fields: it takes logging them'
 */
export const SILENT: Partial<Record<Code, string>> = {
${Object.entries(SILENT).map(([c, why]) => `  ${esc(c)}: ${esc(why)},`).join('\n')}
};

/**
 * Where the clients met a real server of a kind the diagnosis names (\`nghttpd https\`: nghttpd over
 * TLS), what they printed there, for the codes whose lines differ from {@link PRINTED}'s: an HTTP/1.1
 * client closed on by nghttpd prints "Empty reply from server", not the "Received HTTP/0.9" of an
 * h2c-only server.
 * @example PRINTED_BY_SERVER['http1-not-supported']?.['nghttpd https']?.[0]?.line // 'curl: (52) Empty reply from server'
 */
export const PRINTED_BY_SERVER: Partial<Record<Code, Readonly<Record<string, readonly PrintedLine[]>>>> = {
${serverBody}
};

/**
 * The "clients print" lines of a code, with {host} and {port} markers (see {@link withHost}).
 * @example clientsPrint('tcp-refused')[0] // "curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"
 */
export function clientsPrint(code: Code): string[] {
  return (PRINTED[code] ?? []).map((p) => p.line);
}

/**
 * The lines clients printed against the server that answered (its kind, as \`serverOf\` names it)
 * over the target's scheme, when recordings against that server differ from the code's lines.
 * @example clientsPrintFor('http1-not-supported', 'nghttpd', 'https')?.[0] // 'curl: (52) Empty reply from server'
 */
export function clientsPrintFor(code: Code, server: string | undefined, scheme: 'http' | 'https'): string[] | undefined {
  return server ? PRINTED_BY_SERVER[code]?.[\`\${server} \${scheme}\`]?.map((p) => p.line) : undefined;
}

/**
 * A clients-print line with the finding's host and port in place of the recording's.
 * @example withHost('curl: (7) Failed to connect to {host} port {port}', 'example.com', 443) // 'curl: (7) Failed to connect to example.com port 443'
 */
export function withHost(line: string, host: string, port: number): string {
  return line.replaceAll('{host}', host).replaceAll('{port}', String(port));
}
`,
);
console.error(`printed: ${Object.values(out).filter((l) => l.length && l[0].source === 'recorded').length} codes from recordings, ${Object.values(out).filter((l) => l.length && l[0].source !== 'recorded').length} cited, ${Object.values(out).filter((l) => !l.length).length} without lines (${Object.keys(SILENT).length} of them silent, with the reason) → ${OUT.pathname}`);

/**
 * Every command, in one table: its words (summary, usage, description), the flags it takes (from
 * src/cli/flags.ts) and how to load it. Help, `help <command>`, "did you mean", the man page and
 * shell completion are all made from this table.
 *
 * Adding a command: one entry in COMMANDS below (spec + `load`) and its implementation in
 * src/cli/commands/<name>.ts, exporting `(args: string[], io: CliIO) => Promise<number>` that
 * starts with `const p = parseArgv(commandSpec('<name>'), args)`. Implementations are imported
 * only when run: `h2doctor <url>` must not pay for loading the lab, the explain catalogue or the
 * YAML/JSON-schema stack.
 */
import type { CliIO } from './io.js';
import type { CommandSpec, FlagSpec } from './spec.js';
import { CONNECTION, FLAGS, OUTPUT, withHelp } from './flags.js';

export type CommandRun = (args: string[], io: CliIO) => Promise<number>;

export interface Command extends CommandSpec {
  load(): Promise<CommandRun>;
}

const f = (name: string, o: Omit<FlagSpec, 'name'>): FlagSpec => ({ name, ...o });

const DIAGNOSE_EXIT = 'Exit status: 0 ok or warnings, 1 HTTP/2 fails, 2 bad usage, 3 internal error.';

export const DIAGNOSE_OWN: readonly FlagSpec[] = [
  FLAGS.json,
  f('max-addresses', { type: 'string', value: '<n>', help: 'probe at most n addresses of the name (default 4)' }),
  f('survey', { type: 'boolean', help: "enumerate the server's TLS versions, ciphers, groups and ALPN (more connections)" }),
  f('rate', { type: 'string', value: '<n>', help: 'with --survey: at most n new connections per second' }),
  FLAGS.request,
  FLAGS.header,
  f('websocket', { type: 'string', value: '<path>', help: 'also test a WebSocket upgrade on this path (ws:// and wss:// URLs test theirs)' }),
  f('ws-protocol', { type: 'string', multiple: true, value: '<name>', help: 'WebSocket subprotocol to offer (repeatable)' }),
  f('compare-direct', { type: 'boolean', help: 'with a proxy: probe the direct path too and compare ALPN and certificates' }),
  FLAGS['dns-server'],
  withHelp(FLAGS.html, 'also write the report as one self-contained HTML page: verdict, findings, fixes, the protocol matrix and a waterfall of the probes'),
  f('clients', { type: 'string', value: '<all|list>', help: 'simulate real clients from their captured profiles (all, or ids / profile files, comma-separated: curl,chrome,grpc,app.json): a table of who gets h2, falls back to HTTP/1.1 or fails, and why' }),
  f('client', { type: 'string', value: '<name|profile.json>', complete: 'file', help: "diagnose from this client's point of view: its own hello, its HTTP/2 opening, its requirements (gRPC needs h2, a browser never uses h2c)" }),
  FLAGS.verbose,
];

export const COMMANDS: readonly Command[] = [
  {
    name: 'diagnose',
    summary: 'diagnose HTTP/2 on a URL (the default command)',
    usage: ['[diagnose] <url> [options]'],
    description: 'Says whether HTTP/2 works on <url> and, if not, why, with the evidence, the fix and the commands that reproduce it.',
    args: [{ name: '<url>', help: 'https://host[:port][/path] or http://host:port (a bare host:port or name.domain means https)', complete: 'url' }],
    flags: [...DIAGNOSE_OWN, ...CONNECTION, ...OUTPUT, FLAGS.version],
    footer: DIAGNOSE_EXIT,
    load: () => import('./commands/diagnose.js').then((m) => m.diagnoseCommand),
  },
  {
    name: 'trace',
    summary: 'one connection frame by frame; --pcap writes a capture Wireshark opens decrypted',
    usage: ['trace <url> [options]'],
    description:
      'One connection, printed as it happens: TCP connect, the TLS handshake (offered and chosen), then every HTTP/2 frame both ways, with what is wrong said on the line that shows it.',
    args: [{ name: '<url>', help: 'https://host[:port][/path] or http://host:port; ws:// or wss:// traces the WebSocket handshake and frames', complete: 'url' }],
    flags: [
      withHelp(FLAGS.request, 'request method (default GET, or POST with --data)'),
      FLAGS.header,
      f('data', { short: 'd', type: 'string', value: '<text|@file>', help: 'request body, sent as DATA frames under flow control' }),
      f('http2-prior-knowledge', { type: 'boolean', help: 'cleartext: send the HTTP/2 preface at once (default for http://: Upgrade: h2c)' }),
      f('alpn', { type: 'string', value: '<list>', help: 'ALPN protocols to offer, comma-separated (default h2,http/1.1)' }),
      f('max-frames', { type: 'string', value: '<n>', help: 'stop after n frames, both directions (default 1000)' }),
      f('keylog', { type: 'string', value: '<file>', complete: 'file', help: 'write the TLS secrets (NSS key log, the SSLKEYLOGFILE format)' }),
      f('pcap', { type: 'string', value: '<file>', complete: 'file', help: 'write a pcapng of the connection with its TLS secrets inside: tshark -r <file> -Y http2 shows the decrypted frames' }),
      f('bundle', { type: 'string', value: '<file>', complete: 'file', help: 'write a bug-report bundle: diagnosis, trace and environment, secrets removed' }),
      withHelp(FLAGS.json, 'print the events as JSON (with schemaVersion)'),
      ...CONNECTION.map((x) => (x.name === 'timeout' ? withHelp(x, 'deadline for the whole trace (default 5000)') : x)),
      ...OUTPUT,
    ],
    footer: 'Exit status: 0 no problem seen, 1 a problem was seen, 2 bad usage, 3 internal error.',
    load: () => import('./commands/trace.js').then((m) => m.traceCommand),
  },
  {
    name: 'explain',
    summary: 'map a pasted error message to its causes (and confirm one with --url)',
    usage: ['explain "<error text>" [--json] [--url <url> [connection options]]', '<command that fails> 2>&1 | h2doctor explain [--json]'],
    description:
      'Matches an error message printed by an HTTP/2 client, server or proxy (curl, OpenSSL, Node, Go, grpc-go, grpc-java/Netty, gRPC C-core, OkHttp, Java, Python, Chrome, Firefox, nginx, Envoy, HAProxy, AWS ALB) against a catalogue, decodes the evidence inside it (hex dumps, frame lengths, TLS alerts, HTTP/2 error codes, OpenSSL error codes) and lists the candidate causes with the command to run next.',
    args: [{ name: '<error text>', help: 'the error message; read from standard input when left out' }],
    flags: [
      withHelp(FLAGS.json, 'print JSON: { "schemaVersion", "matches": [ { "id", "confidence", "family", "meaning", "causes" } ] }'),
      f('url', { type: 'string', value: '<url>', help: 'also run the diagnosis against <url> (with the connection options below) and say which candidate it confirms' }),
      ...CONNECTION,
      ...OUTPUT,
    ],
    textArgs: true,
    load: () =>
      Promise.all([import('./commands/explain.js'), import('../diagnose.js')]).then(
        ([{ explainCommand }, { diagnose }]) =>
          (args: string[], io: CliIO) =>
            explainCommand(args, io, {
              confirm: async (url, o) => ({ codes: (await diagnose(url, o.options ?? { env: io.env })).findings.map((x) => x.code) }),
            }),
      ),
  },
  {
    name: 'check',
    summary: 'run a checks file (HTTP/2 expectations as code) against an environment, for CI',
    usage: ['check <file> --env <name> [options]'],
    description: 'Runs the checks of a checks file (docs/checks.md) against one environment, concurrently, and prints a pass/fail table with the reason for each failure. Connection settings (addresses, CA, proxy, client certificate, --connect-to, -k, --max-time…) come from the environment in the file, under the same names as the flags; a flag given here wins over the file.',
    args: [{ name: '<file>', help: "the checks file (YAML); '-' reads standard input", complete: 'file' }],
    flags: [
      f('env', { type: 'string', value: '<name>', help: 'the environment to run (may be left out when the file defines one or none)' }),
      f('junit', { type: 'string', value: '<file>', complete: 'file', help: 'also write JUnit XML (one testsuite, one testcase per check)' }),
      withHelp(FLAGS.html, 'also write the results as one self-contained HTML page'),
      withHelp(FLAGS.json, 'print the results as JSON (with schemaVersion) instead of the table'),
      f('sarif', { type: 'string', value: '<file|->', complete: 'file', help: "also write SARIF 2.1.0 for code-scanning dashboards (a result per failed expectation, at the check's line); '-' prints it instead of the table" }),
      f('github-summary', { type: 'boolean', help: 'append a Markdown summary (totals, a row per check, each failure) to the file named by GITHUB_STEP_SUMMARY, as GitHub Actions steps do' }),
      f('concurrency', { type: 'string', value: '<n>', help: 'checks at once (default 4)' }),
      withHelp(FLAGS.timeout, 'deadline of each probe (default 3000); one check may take 6 times this'),
      // The connection flags, as the environment in the file may set them too; given here, they win.
      ...CONNECTION.filter((x) => x.name !== 'timeout'),
      ...OUTPUT,
    ],
    footer:
      'With GITHUB_ACTIONS=true, failures are also printed as workflow annotations on the checks file (not when standard output carries --json or --sarif -).\nExit status: 0 every check passed, 1 a check failed, 2 bad file or usage (nothing is connected to), 3 internal error.',
    load: () => import('./commands/check.js').then((m) => m.checkCommand),
  },
  {
    name: 'init',
    summary: "write a starter checks file from a URL's current behaviour",
    usage: ['init <url> [-o <file>] [--force] [options]'],
    description:
      'Diagnoses <url> and writes a starter checks file (docs/checks.md) whose expectations are what the endpoint does now, commented. Edit it, then run: h2doctor check <file>.',
    args: [{ name: '<url>', help: 'the endpoint to check', complete: 'url' }],
    flags: [
      f('output', { short: 'o', type: 'string', value: '<file>', complete: 'file', help: "where to write (default checks.yaml; '-' prints it)" }),
      f('force', { type: 'boolean', help: 'overwrite an existing file' }),
      f('env', { type: 'string', value: '<name>', help: "the environment's name in the file (default 'default')" }),
      withHelp(FLAGS.json, 'print what was written as JSON (schemaVersion, the checks file as data, the diagnosis now; docs/init.schema.json)'),
      ...CONNECTION,
      ...OUTPUT,
    ],
    footer: 'Exit status: 0 written, 2 bad usage or the file exists, 3 internal error.',
    load: () => import('./commands/init.js').then((m) => m.initCommand),
  },
  {
    name: 'lab',
    summary: 'serve or diagnose the embedded failure lab on loopback',
    usage: [
      'lab --list',
      'lab <scenario>',
      'lab --diagnose [<scenario>…] [--json] [-v]',
      'lab --serve [<scenario>…] [-- <command> [args…]]',
    ],
    description:
      'lab <scenario> serves one scenario on loopback until interrupted. lab --diagnose starts every scenario (or the ones named), diagnoses each and compares with the expected codes. lab --serve serves several (default all), naming each as <ID>_URL and <ID>_PIN (and the CA as H2DOCTOR_LAB_CA): it prints export lines and serves until interrupted, or runs <command> with them set and exits with its status.',
    args: [{ name: '<scenario>', help: 'a scenario id (lab --list)', complete: 'scenario' }],
    flags: [
      f('list', { type: 'boolean', help: 'list the scenarios' }),
      f('diagnose', { type: 'boolean', help: 'diagnose the scenarios and compare with their expected codes' }),
      f('serve', { type: 'boolean', help: 'serve scenarios and name them in variables' }),
      withHelp(FLAGS.json, 'with --diagnose: print the results as JSON'),
      withHelp(FLAGS.verbose, 'with --diagnose --json: include each report'),
      ...OUTPUT,
    ],
    passThrough: true,
    footer: 'Exit status of --diagnose: 0 when every scenario gets exactly its expected codes, 1 otherwise.',
    load: () => import('./commands/lab.js').then((m) => m.labCommand),
  },
  {
    name: 'watch',
    summary: 'diagnose again and again: a live table, an NDJSON history, and what flapped',
    usage: ['watch <url> [--every 30s] [--count N | --for 1h] [--history file] [--summary] [options]', 'watch --history <file> --summary [--json] [--html <file>]'],
    description:
      'Diagnoses every address of <url> again and again (the default plan, never the TLS survey) and shows what comes and goes: which codes, on which addresses and resolvers, and when. On a terminal a live table per address with a strip of recent results; otherwise one line per run. Ctrl-C ends it cleanly with the summary. With --history and --summary and no URL it replays a history: the summary of its runs, without probing.',
    args: [{ name: '<url>', help: 'the endpoint to watch', complete: 'url' }],
    flags: [
      f('every', { type: 'string', value: '<duration>', help: 'time between the starts of two runs (default 30s; 1500ms, 30s, 5m, 1h)' }),
      f('count', { type: 'string', value: '<n>', help: 'stop after n runs' }),
      f('for', { type: 'string', value: '<duration>', help: 'stop after this long (no run starts after it)' }),
      f('history', { type: 'string', value: '<file>', complete: 'file', help: 'append every run to this NDJSON file (each line with schemaVersion); an existing file is resumed: the run count goes on and the summary covers its earlier runs of the URL' }),
      f('summary', { type: 'boolean', help: 'print only the summary at the end (no live table); with --history and no URL: summarise that history' }),
      withHelp(FLAGS.json, 'one JSON line per run, then the summary as one JSON line (each with schemaVersion)'),
      withHelp(FLAGS.html, 'write a self-contained HTML page: a timeline per address and resolver coloured by verdict, codes on hover'),
      FLAGS['dns-server'],
      f('max-addresses', { type: 'string', value: '<n>', help: 'probe at most n addresses of the name (default 4)' }),
      FLAGS.request,
      FLAGS.header,
      ...CONNECTION,
      ...OUTPUT,
    ],
    footer: 'Exit status: from the worst run of this watch (of the whole history, for a replay): 0 ok or warnings, 1 some run failed, 2 bad usage, 3 internal error.',
    load: () => import('./commands/watch.js').then((m) => m.watchCommand),
  },
  {
    name: 'capture-client',
    summary: 'record the ClientHello and HTTP/2 opening of a client pointed at it, as a client profile',
    usage: ['capture-client [--port <n>] [--out <file>] [options]'],
    description:
      "Listens on 127.0.0.1 (TLS with the lab CA, and cleartext HTTP on the same port), records the ClientHello and the first HTTP/2 frames of the client pointed at it, and writes a client profile: TLS versions, cipher suites, groups, key shares, signature algorithms, extensions in order, ALPN, GREASE, SNI, the HTTP/2 fingerprint and JA4. Then diagnose a server from that client's point of view: h2doctor <url> --client <profile.json>.",
    flags: [
      f('port', { type: 'string', value: '<n>', help: 'port to listen on (default: any free port, printed)' }),
      f('out', { short: 'o', type: 'string', value: '<file>', complete: 'file', help: 'where to write the profile (default client-profile.json)' }),
      f('id', { type: 'string', value: '<name>', help: "the profile's short name (default my-client)" }),
      f('name', { type: 'string', value: '<text>', help: "the client's name (default: the id)" }),
      f('client-version', { type: 'string', value: '<v>', help: "the client's version (default unknown)" }),
      f('cleartext', { type: 'boolean', help: 'also wait for one cleartext connection (what the client does with http://)' }),
      f('needs-h2', { type: 'boolean', help: 'the client fails rather than fall back to HTTP/1.1 (like gRPC)' }),
      withHelp(FLAGS.timeout, 'give up after this many ms (default 60000)'),
      f('ca-out', { type: 'string', value: '<dir>', complete: 'dir', help: 'write the lab CA certificate (ca.pem) there for the client to trust' }),
      ...OUTPUT,
    ],
    footer: 'Exit status: 0 profile written, 1 nothing captured in time, 2 bad usage, 3 internal error.',
    load: () => import('./commands/capture-client.js').then((m) => m.captureClientCommand),
  },
  {
    name: 'exporter',
    summary: 'a Prometheus exporter (blackbox style): /probe?target=<url> and /metrics',
    usage: ['exporter [--listen 127.0.0.1:9799] [--config modules.yaml] [connection options]'],
    description:
      'Serves /probe?target=<url>[&module=<name>]: one light diagnosis per scrape, as OpenMetrics series per address (probe success, h2 negotiated, ALPN/TLS/cipher info, handshake and exchange times, certificate expiry, one series per finding code). /metrics is the exporter\'s own health. Modules (--config) choose the options; the connection options below are every module\'s defaults. See docs/exporter.md.',
    flags: [
      f('listen', { type: 'string', value: '<host:port>', help: 'where to listen (default 127.0.0.1:9799)' }),
      f('config', { type: 'string', value: '<file>', complete: 'file', help: 'modules file (YAML or JSON): modules: { name: { timeout, survey, max_addresses, sni, resolve, cacert } }' }),
      ...CONNECTION,
      ...OUTPUT,
    ],
    footer: 'Serves until interrupted. Exit status: 0 stopped, 2 bad usage (or the port is taken), 3 internal error.',
    load: () => import('./commands/exporter.js').then((m) => m.exporterCommand),
  },
  {
    name: 'scan',
    summary: 'diagnose a fleet of targets politely, on this machine or on a BullMQ queue',
    usage: ['scan <file|-> [options]', 'scan <file> --queue redis://host:port [--vantages a,b] [options]'],
    description:
      'Diagnoses every target of a list with the default plan and summarizes: verdicts, codes by count, the worst targets. The list: one URL or host[:port] per line (# comments), CSV with a header row (url, sni, resolve, client, id), a JSON array or NDJSON objects with the same fields. Connections to one address are limited (at once and per second) across all targets. With --queue, the targets go on a BullMQ queue that `h2doctor worker` processes take, anywhere; with --vantages, every target is scanned from each worker label and the labels are compared (vantage-points-disagree). docs/scan.md.',
    args: [{ name: '<file|->', help: "the target list; '-' reads standard input", complete: 'file' }],
    flags: [
      f('out', { type: 'string', value: '<file>', complete: 'file', help: "append one NDJSON line per finished target (the full report), and the vantage comparisons; '-' for stdout" }),
      f('resume', { type: 'boolean', help: 'with --out: skip the targets the file already has and append the rest' }),
      f('csv', { type: 'string', value: '<file>', complete: 'file', help: 'also write one CSV row per target' }),
      withHelp(FLAGS.html, 'also write the summary as one self-contained HTML page: verdicts, codes, the worst targets, the vantage points that disagree'),
      withHelp(FLAGS.json, 'print the summary as JSON (with schemaVersion) instead of the table'),
      f('concurrency', { type: 'string', value: '<n>', help: 'targets diagnosed at once (default 32)' }),
      f('per-host', { type: 'string', value: '<n>', help: 'connections open at once to one address, all targets together (default 4)' }),
      f('per-host-rate', { type: 'string', value: '<n>', help: 'new connections a second to one address (default 20)' }),
      f('queue', { type: 'string', value: '<redis://host:port>', help: "put the targets on a BullMQ queue (Redis or Valkey) for 'h2doctor worker' processes and collect their results here" }),
      f('vantages', { type: 'string', value: '<a,b,…>', help: 'with --queue: scan every target from each of these worker labels and compare them' }),
      f('scan-id', { type: 'string', value: '<id>', help: 'with --queue: the scan\'s name (default: from the list, so the same list resumes the same scan)' }),
      f('no-progress', { type: 'boolean', help: 'no progress on stderr' }),
      ...CONNECTION.map((x) => (x.name === 'max-time' ? withHelp(x, 'each target ends within this time whatever its server does (default 10)') : x)),
      ...OUTPUT,
    ],
    footer: 'Exit status: 0 when no target fails (warnings allowed), 1 when a target fails or h2doctor failed on one, 2 bad usage or a bad list, 3 internal error.',
    load: () => import('./commands/scan.js').then((m) => m.scanCommand),
  },
  {
    name: 'worker',
    summary: "take targets from a scan's queue and diagnose them (distributed scans)",
    usage: ['worker --queue redis://host:port [--vantage <label>] [options]'],
    description:
      "Takes targets from the queue that 'h2doctor scan --queue' fills, diagnoses them, and sends each report back with the worker's name and vantage label. Runs until interrupted (Ctrl-C / SIGTERM finish the jobs under way first). A worker that dies loses nothing: its jobs go back on the queue when their lock expires.",
    args: [],
    flags: [
      f('queue', { type: 'string', value: '<redis://host:port>', help: 'the Redis (or Valkey) server of the queue' }),
      f('vantage', { type: 'string', value: '<label>', help: 'take the jobs of this vantage point (default "default")' }),
      f('concurrency', { type: 'string', value: '<n>', help: 'jobs at once (default 16)' }),
      f('per-host', { type: 'string', value: '<n>', help: 'connections open at once to one address (default 4)' }),
      f('per-host-rate', { type: 'string', value: '<n>', help: 'new connections a second to one address (default 20)' }),
      f('lock-ms', { type: 'string', value: '<n>', help: "a job's lock: a dead worker's jobs are taken up again after it (default 30000)" }),
      withHelp(FLAGS.verbose, 'one line per job on stderr'),
      ...CONNECTION,
      ...OUTPUT,
    ],
    footer: 'Exit status: 0 stopped cleanly, 2 bad usage, 3 internal error.',
    load: () => import('./commands/scan.js').then((m) => m.workerCommand),
  },
  {
    name: 'completion',
    summary: 'print a shell completion script: h2doctor completion bash|zsh|fish',
    usage: ['completion bash|zsh|fish'],
    description: 'Prints a completion script for the shell, made from the same definitions the parser uses. bash: source <(h2doctor completion bash). zsh: source <(h2doctor completion zsh). fish: h2doctor completion fish | source.',
    args: [{ name: '<shell>', help: 'bash, zsh or fish' }],
    flags: [FLAGS.help],
    load: () => import('./completion.js').then((m) => m.completionCommand),
  },
  {
    name: 'help',
    summary: 'help on a command: h2doctor help <command>',
    usage: ['help [<command>]'],
    description: 'Prints the help of a command, or the list of commands.',
    args: [{ name: '<command>', help: 'a command' }],
    flags: [FLAGS.help],
    load: () => import('./help.js').then((m) => m.helpCommand),
  },
];

/** The spec of a command by name (a bug when it does not exist). */
export function commandSpec(name: string): Command {
  const c = COMMANDS.find((x) => x.name === name);
  if (!c) throw new Error(`no command spec named ${name}`);
  return c;
}

/**
 * `h2doctor [diagnose] <url>`: the main command.
 */
import { writeFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { CliIO } from '../io.js';
import { EXIT } from '../io.js';
import { UsageError } from '../../model/errors.js';
import { parseArgv, type Parsed } from '../spec.js';
import { commandSpec } from '../registry.js';
import { checkPinsApply, connectionOptions, intFlag, runDeadline, useColor, widthOf } from '../connect.js';
import { assertUrlLike } from '../url-word.js';
import { isToken } from '../../wire/http/fields.js';
import { DEFAULTS, diagnose, type DiagnoseOptions } from '../../diagnose.js';
import { parseTarget, redactUrl } from '../../model/target.js';
import { startProgress } from '../progress.js';
import { renderJson } from '../../report/json.js';
import { parseDnsServer } from '../../transport/dns.js';
import { renderTerminal } from '../../report/terminal.js';
import type { Report } from '../../model/index.js';
import { VERSION } from '../../version.js';


export async function diagnoseCommand(args: string[], io: CliIO): Promise<number> {
  const spec = commandSpec('diagnose');
  const p = parseArgv(spec, args);
  if (p.bool('help')) {
    io.stdout((await import('../help.js')).commandHelp(spec, widthOf(io)));
    return EXIT.ok;
  }
  if (p.bool('version')) {
    io.stdout(`h2doctor ${VERSION}\n`);
    return EXIT.ok;
  }
  const url = oneUrl(p, 'h2doctor https://example.com');
  const options = await diagnoseOptions(p, io);
  const target = parseTarget(url, options.sni);
  checkPinsApply(target, options.resolve);
  const maxS = ((options.maxTimeMs ?? (options.survey ? DEFAULTS.surveyMaxTimeMs : DEFAULTS.maxTimeMs)) / 1000).toFixed(0);
  // The probes running now, newest last: the line names them (the kinds before any has started).
  const running = new Set<string>();
  if (io.stderrIsTTY) options.onProbe = (id, state) => void (state === 'start' ? running.add(id) : running.delete(id));
  const now = () => (running.size ? `${[...running].slice(-2).join(', ')}${running.size > 2 ? ` and ${running.size - 2} more` : ''}` : 'DNS, TCP, TLS, HTTP/2, HTTP/1.1');
  const stop = startProgress(io, (s) => `h2doctor: probing ${redactUrl(target.url)} ${s} s, at most ${maxS} s: ${now()}`, widthOf(io));
  let report;
  try {
    report = await diagnose(target, options);
  } finally {
    stop();
  }
  const html = p.str('html');
  if (html !== undefined) {
    const { renderDiagnosisHtml } = await import('../../report/html.js');
    writeHtmlFile(resolvePath(io.cwd, html), html, renderDiagnosisHtml(report));
  }
  io.stdout(p.bool('json') ? renderJson(report) : renderTerminal(report, { color: useColor(p, io), verbose: p.bool('verbose'), width: widthOf(io) }));
  return exitFor(report);
}

/** The one URL argument of a connecting command; a bare word is refused before any lookup. */
export function oneUrl(p: Parsed, example: string): string {
  if (p.positionals.length === 0) throw new UsageError(`no URL given (try: ${example})`);
  if (p.positionals.length > 1) throw new UsageError(`one URL at a time, got ${p.positionals.length}: ${p.positionals.join(' ')}`);
  assertUrlLike(p.positionals[0]!);
  return p.positionals[0]!;
}

/** The diagnosis options the flags ask for (connection flags and diagnose's own); bad values are UsageErrors. */
export async function diagnoseOptions(p: Parsed, io: CliIO): Promise<DiagnoseOptions> {
  const o = await connectionOptions(p, io);
  const maxAddresses = intFlag('--max-addresses', p.str('max-addresses'), 1, 64);
  if (maxAddresses !== undefined) o.maxAddresses = maxAddresses;
  if (p.bool('survey')) {
    o.survey = true;
    // A survey opens many connections: its default --max-time is longer.
    if (o.maxTimeMs === undefined) o.deadline = runDeadline(DEFAULTS.surveyMaxTimeMs, io.startedAt);
  }
  const rate = intFlag('--rate', p.str('rate'), 1, 10_000);
  if (rate !== undefined) {
    if (!o.survey) throw new UsageError('--rate goes with --survey');
    o.rate = rate;
  }
  const method = p.str('request');
  if (method !== undefined) o.method = checkMethod(method);
  const headers = p.list('header');
  if (headers.length) o.headers = headers.map(parseHeaderFlag);
  const ws = p.str('websocket');
  if (ws !== undefined) {
    if (!ws.startsWith('/')) throw new UsageError(`--websocket wants a path starting with /, got ${JSON.stringify(ws)}`);
    o.websocket = ws;
  }
  const wsp = p.list('ws-protocol');
  if (wsp.length) {
    for (const x of wsp) if (!isToken(x)) throw new UsageError(`--ws-protocol: not a token: ${JSON.stringify(x)}`);
    o.wsProtocols = wsp;
  }
  if (p.bool('compare-direct')) o.compareDirect = true;
  if (p.spec.flags.some((f) => f.name === 'clients')) await clientOptions(p, io, o);
  const dns = p.list('dns-server');
  if (dns.length) o.dnsServers = dnsServersFlag(dns);
  return o;
}

/** RFC 9110 §9.1: a method is a token. */
export function checkMethod(m: string): string {
  if (!isToken(m)) throw new UsageError(`-X: not a valid method: ${JSON.stringify(m)}`);
  return m;
}

/** `-H 'Name: value'`, as curl takes it. */
export function parseHeaderFlag(h: string): [string, string] {
  const i = h.indexOf(':');
  const name = i > 0 ? h.slice(0, i).trim() : '';
  if (!isToken(name)) throw new UsageError(`-H wants 'Name: value', got ${JSON.stringify(h)}`);
  const value = h.slice(i + 1).trim();
  if (/[\r\n\0]/.test(value)) throw new UsageError(`-H: the value of ${name} holds a line break`);
  return [name, value];
}

/** --dns-server values: each an IP, optionally with a port. */
export function dnsServersFlag(list: string[]): string[] {
  for (const v of list) if (!parseDnsServer(v)) throw new UsageError(`--dns-server wants an IP address, optionally with :port (e.g. 127.0.0.1:5353 or [::1]:53), got ${JSON.stringify(v)}`);
  return list;
}

/** Writes an --html report; a path that cannot be written is bad input (exit 2). */
export function writeHtmlFile(path: string, shown: string, html: string): void {
  try {
    writeFileSync(path, html);
  } catch (e) {
    throw new UsageError(`--html: cannot write ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function exitFor(r: Report): number {
  return r.verdict === 'fail' ? EXIT.fail : EXIT.ok;
}

/** --clients and --client: the profiles to simulate and whose point of view the verdict takes. */
async function clientOptions(p: Parsed, io: CliIO, o: DiagnoseOptions): Promise<void> {
  const list = p.str('clients');
  const one = p.str('client');
  if (list === undefined && one === undefined) return;
  const { selectProfiles, findProfile } = await import('../../clients/load.js');
  const { ProfileError } = await import('../../clients/profile.js');
  try {
    const profiles = list !== undefined ? selectProfiles(list, io.cwd) : [];
    if (one !== undefined) {
      const who = findProfile(one, io.cwd);
      if (!profiles.some((x) => x.id === who.id)) profiles.push(who);
      o.pointOfView = who.id;
    }
    o.clients = profiles;
  } catch (e) {
    if (e instanceof ProfileError) throw new UsageError(`${list !== undefined && one === undefined ? '--clients' : '--client'}: ${e.message}`);
    throw e;
  }
}

/**
 * Exporter modules from a config file (YAML or JSON), like the blackbox exporter's:
 *
 *   modules:
 *     default: { timeout: 3000 }
 *     quick:   { timeout: 1000, max_addresses: 1 }
 *     survey:  { survey: true }        # the whole TLS surface: many more connections per scrape
 *     grpc:    { client: grpc }        # the verdict from that client's point of view (profiles/)
 *
 * Keys: timeout (ms per probe), survey (bool, default off), max_addresses, sni, resolve (list of
 * curl-style pins), cacert (a PEM file, relative to the config file), client (a profile name from
 * profiles/, or a profile file relative to the config file). Pure apart from reading cacert
 * files through `readFile`; a bad key or value is an Error naming it.
 */
import { parse as parseYaml } from 'yaml';
import type { DiagnoseOptions } from '../diagnose.js';
import { parseResolve } from '../model/target.js';

const KEYS = ['timeout', 'survey', 'max_addresses', 'sni', 'resolve', 'cacert', 'client'] as const;

export async function parseModules(text: string, base: DiagnoseOptions, readFile: (path: string) => Promise<string>, dir = process.cwd()): Promise<Record<string, DiagnoseOptions>> {
  const doc = parseYaml(text) as unknown;
  const mods = (doc as { modules?: unknown } | null)?.modules;
  if (!mods || typeof mods !== 'object' || Array.isArray(mods)) throw new Error('the config needs a "modules" map (modules: { default: { timeout: 3000 } })');
  const out: Record<string, DiagnoseOptions> = {};
  for (const [name, raw] of Object.entries(mods as Record<string, unknown>)) {
    const m = (raw ?? {}) as Record<string, unknown>;
    if (typeof m !== 'object' || Array.isArray(m)) throw new Error(`module ${name}: not a map`);
    for (const k of Object.keys(m)) if (!(KEYS as readonly string[]).includes(k)) throw new Error(`module ${name}: unknown key ${k} (known: ${KEYS.join(', ')})`);
    const o: DiagnoseOptions = { ...base };
    if (m.timeout !== undefined) {
      if (!Number.isInteger(m.timeout) || (m.timeout as number) < 1 || (m.timeout as number) > 600_000) throw new Error(`module ${name}: timeout must be a whole number of ms (1–600000)`);
      o.timeoutMs = m.timeout as number;
    }
    if (m.survey !== undefined) {
      if (typeof m.survey !== 'boolean') throw new Error(`module ${name}: survey must be true or false`);
      o.survey = m.survey;
    }
    if (m.max_addresses !== undefined) {
      if (!Number.isInteger(m.max_addresses) || (m.max_addresses as number) < 1 || (m.max_addresses as number) > 64) throw new Error(`module ${name}: max_addresses must be 1–64`);
      o.maxAddresses = m.max_addresses as number;
    }
    if (m.sni !== undefined) {
      if (typeof m.sni !== 'string') throw new Error(`module ${name}: sni must be a string`);
      o.sni = m.sni;
    }
    if (m.resolve !== undefined) {
      if (!Array.isArray(m.resolve) || !m.resolve.every((x) => typeof x === 'string')) throw new Error(`module ${name}: resolve must be a list of host:port:address`);
      o.resolve = (m.resolve as string[]).map(parseResolve);
    }
    if (m.cacert !== undefined) {
      if (typeof m.cacert !== 'string') throw new Error(`module ${name}: cacert must be a file name`);
      const pem = await readFile(m.cacert);
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`module ${name}: ${m.cacert} holds no PEM certificate`);
      o.ca = pem;
    }
    if (m.client !== undefined) {
      if (typeof m.client !== 'string') throw new Error(`module ${name}: client must be a profile name or a profile file`);
      const { findProfile } = await import('../clients/load.js');
      let who;
      try {
        who = findProfile(m.client, dir);
      } catch (e) {
        throw new Error(`module ${name}: client ${JSON.stringify(m.client)}: ${(e as Error).message}`);
      }
      o.clients = [who];
      o.pointOfView = who.id;
    }
    out[name] = o;
  }
  if (!out.default) out.default = { ...base };
  return out;
}

/**
 * The client profiles shipped in `profiles/` (captured by scripts/capture-clients.mjs), and a
 * user's own profile file (`--client my-app.json`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkProfile, ProfileError, type ClientProfile } from './profile.js';

/**
 * profiles/ of the package: src/clients and dist/clients are two levels down, the bundled CLI
 * (dist/h2doctor.cjs, where the bundler sets import.meta.url to the bundle's file) one level.
 */
export const PROFILES_DIR = ((): string => {
  const here = dirname(fileURLToPath(import.meta.url));
  const near = join(here, '..', 'profiles');
  return existsSync(near) ? near : join(here, '..', '..', 'profiles');
})();

let cache: ClientProfile[] | undefined;

/** Every shipped profile, sorted by id. */
export function shippedProfiles(dir = PROFILES_DIR): ClientProfile[] {
  if (dir === PROFILES_DIR && cache) return cache;
  const out = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => checkProfile(JSON.parse(readFileSync(join(dir, f), 'utf8')), `profiles/${f}`));
  if (dir === PROFILES_DIR) cache = out;
  return out;
}

/**
 * A profile by id ('chromium'; a few aliases: 'chrome', 'grpc', 'firefox'…) or by file path (anything ending in .json).
 * Throws ProfileError with one line for the user.
 */
export function findProfile(nameOrFile: string, cwd = process.cwd()): ClientProfile {
  if (nameOrFile.endsWith('.json')) {
    let text: string;
    try {
      text = readFileSync(join(cwd, nameOrFile), 'utf8');
    } catch (e) {
      throw new ProfileError(`cannot read ${nameOrFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    let j: unknown;
    try {
      j = JSON.parse(text);
    } catch {
      throw new ProfileError(`${nameOrFile} is not JSON`);
    }
    return checkProfile(j, nameOrFile);
  }
  const all = shippedProfiles();
  const id = ALIASES[nameOrFile.toLowerCase()] ?? nameOrFile.toLowerCase();
  const p = all.find((x) => x.id === id);
  if (!p) throw new ProfileError(`no client profile named ${JSON.stringify(nameOrFile)} (known: ${all.map((x) => x.id).join(', ')}; or a profile .json file)`);
  return p;
}

/** Names people use for the shipped clients. */
export const ALIASES: Record<string, string> = {
  chrome: 'chromium',
  electron: 'chromium',
  grpc: 'grpc-js',
  'grpc-node': 'grpc-js',
  grpcio: 'grpc-python',
  firefox: 'nss-tstclnt',
  nss: 'nss-tstclnt',
  java: 'java17',
  python: 'python-urllib',
  node: 'node-https',
  fetch: 'node-fetch',
  gnutls: 'gnutls-cli',
  golang: 'go',
};

/** `--clients list` / `--clients all` / `--clients curl,chrome,app.json`. */
export function selectProfiles(spec: string, cwd = process.cwd()): ClientProfile[] {
  if (spec === 'all' || spec === '') return shippedProfiles();
  const out: ClientProfile[] = [];
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const p = findProfile(part, cwd);
    if (!out.some((x) => x.id === p.id)) out.push(p);
  }
  return out;
}

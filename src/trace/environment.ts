/**
 * Facts about the machine a trace ran on, for a bug report: Node and OpenSSL versions, proxy
 * variables present, resolver addresses. Values are redacted later with the rest of the bundle.
 *
 * @example
 * const env = await gatherEnvironment(process.env);
 */
import { readFile } from 'node:fs/promises';

export interface Environment {
  node: string;
  openssl: string;
  platform: string;
  arch: string;
  /** Proxy variables as set (name → value); values pass through URL redaction. */
  proxyVariables: Record<string, string>;
  /** Name servers from /etc/resolv.conf (empty where there is none). */
  resolvers: string[];
}

const PROXY_VARS = /^(https?_proxy|all_proxy|no_proxy|grpc_proxy)$/i;

export async function gatherEnvironment(env: Record<string, string | undefined>, resolvConf = '/etc/resolv.conf'): Promise<Environment> {
  const proxyVariables: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (PROXY_VARS.test(k) && v !== undefined) proxyVariables[k] = v;
  let resolvers: string[] = [];
  try {
    const text = await readFile(resolvConf, 'utf8');
    resolvers = [...text.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]!).slice(0, 16);
  } catch {
    resolvers = [];
  }
  return {
    node: process.versions.node,
    openssl: process.versions.openssl ?? 'unknown',
    platform: process.platform,
    arch: process.arch,
    proxyVariables,
    resolvers,
  };
}

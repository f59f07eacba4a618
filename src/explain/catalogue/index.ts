/**
 * The catalogue: every known error message, grouped by source family (one file each).
 * To add an entry, see docs/explain.md.
 */
import { BROWSER_ENTRIES } from './browsers.js';
import { CURL_ENTRIES } from './curl.js';
import { GO_ENTRIES } from './go.js';
import { GRPC_CORE_ENTRIES } from './grpc-core.js';
import { JVM_ENTRIES } from './jvm.js';
import { NODE_ENTRIES } from './node.js';
import { PROXY_ENTRIES } from './proxies.js';
import { PYTHON_ENTRIES } from './python.js';
import { TLS_LIB_ENTRIES } from './tls-libs.js';
import type { CatalogueEntry } from './types.js';


/** Source families, in the order they are listed in docs and `--help`. */
export const SOURCE_FAMILIES = {
  curl: CURL_ENTRIES,
  'openssl-boringssl': TLS_LIB_ENTRIES,
  node: NODE_ENTRIES,
  'go-grpc-go': GO_ENTRIES,
  'jvm-netty-grpc-java-okhttp': JVM_ENTRIES,
  'grpc-core': GRPC_CORE_ENTRIES,
  python: PYTHON_ENTRIES,
  browsers: BROWSER_ENTRIES,
  'proxies-statuses': PROXY_ENTRIES,
} as const satisfies Record<string, readonly CatalogueEntry[]>;

export type SourceFamily = keyof typeof SOURCE_FAMILIES;

export const CATALOGUE: readonly CatalogueEntry[] = Object.values(SOURCE_FAMILIES).flat();

const BY_ID = new Map(CATALOGUE.map((e) => [e.id, e]));

export function entryById(id: string): CatalogueEntry | undefined {
  return BY_ID.get(id);
}

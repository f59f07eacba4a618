/**
 * The shape of what we know about a code (title, explanation, clients print, fixes, reproduce) and
 * the facts (`Vars`) a rule hands to those words.
 */
import type { Fix } from '../../model/index.js';
import type { Facts } from '../raw.js';

/**
 * Facts a rule hands to the text: the target and, per code, what was observed.
 * @example knowledgeOf('tcp-refused').title(varsFor(parseTarget('https://example.com/')))
 */
export interface Vars {
  url: string;
  host: string;
  port: number;
  /** `host:port` for openssl -connect (the pinned address when there is one). */
  connect: string;
  /** ` -servername host` or ''. */
  servername: string;
  /** ` --resolve host:port:addr` or ''. */
  resolve: string;
  /** Code-specific detail: an alert name, a GOAWAY code, a cipher… */
  detail?: string;
  /** The URL with the other scheme (for scheme mix-ups). */
  otherUrl?: string;
  /** The SNI name sent (`--sni`, or the URL's host); undefined without SNI. */
  sniName?: string;
  /** ` -CAfile <file>` for openssl when the user gave `--cacert <file>`, else ''. */
  cafileArg: string;
  /**
   * The connection options of the user's run, as curl flags (leading space each): `--max-time`,
   * `--resolve`, `--cacert <file>`, `--connect-to` for a `--sni` other than the host, `--proxy <url>`.
   */
  curlOpts: string;
  /** The server that answered, from its `Server` field: kind (nginx, apache, caddy, h2o, lighttpd, squid…) and version. */
  server?: DetectedServer;
  /** Names and addresses the rule read from the evidence (`RawFinding.facts`). */
  facts?: Facts;
}

/**
 * The server that answered, from its `Server` (or `Via`) field: its fix family and version.
 * @example { kind: 'nginx', version: '1.22.1', header: 'nginx/1.22.1' }
 */
export interface DetectedServer {
  /** The fix family: 'nginx', 'apache', 'haproxy', 'caddy', 'h2o', 'lighttpd', 'squid', 'nghttpd', 'tinyproxy'… */
  kind: string;
  version?: string;
  /** The Server field as sent. */
  header: string;
}

/**
 * A code's words: title, explanation, what clients print, fixes and reproduce commands, each from the facts of one run.
 * @example const k = knowledgeOf('alpn-no-h2'); k.title(vars); k.fixes(vars)[0].text; k.reproduce(vars)[0]
 */
export interface Knowledge {
  title: (v: Vars) => string;
  explanation: (v: Vars) => string;
  clientsSee: string[];
  /** What clients print for one variant of the cause (from `detail`), when it differs from the code's lines; undefined for the rest. */
  clientsSeeFor?: (v: Vars) => string[] | undefined;
  fixes: (v: Vars) => Fix[];
  reproduce: (v: Vars) => string[];
}

/**
 * Removing secrets from what a user attaches to a bug report: credentials in header values,
 * userinfo and token-like query parameters in URLs, key material. Two passes: structured (known
 * places, which also collects the secret values), then textual (every collected value, and its
 * encoded forms, replaced wherever it appears: a DATA preview, a GOAWAY debug text, an echo).
 *
 * @example
 * const r = new Redactor();
 * r.header('Authorization', 'Bearer abc'); // ['Authorization', '[redacted]']
 * r.text('echo: Bearer abc');              // 'echo: [redacted]'
 */

export const REDACTED = '[redacted]';

/** Header names whose values are credentials. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'x-auth-token', 'x-amz-security-token', 'x-csrf-token', 'x-xsrf-token']);
/** Header and parameter names that look like they hold a credential. */
const SECRETISH = /token|secret|passw|pwd|api[-_]?key|apikey|auth|session|sig(nature)?$|credential|access[-_]?key|private|jwt|bearer|^code$|^key$/i;
/** A value that looks like a token on its own (long, no spaces, base64/hex/JWT alphabet). */
const TOKENISH = /^[A-Za-z0-9._~+/=-]{24,}$/;

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Also remove these values (and their parts) wherever they appear. */
  add(value: string): void {
    const v = value.trim();
    if (v.length < 4) return;
    this.secrets.add(v);
    // "Bearer xyz", "Basic xyz": the credential alone may appear elsewhere.
    const parts = v.split(/[\s,;=]+/).filter((p) => p.length >= 8);
    for (const p of parts) this.secrets.add(p);
  }

  /** One header: the value redacted when the name says it is a credential. */
  header(name: string, value: string): [string, string] {
    const n = name.toLowerCase();
    if (SECRET_HEADERS.has(n) || SECRETISH.test(n)) {
      this.add(value);
      // Cookies: every name=value pair's value.
      if (n === 'cookie' || n === 'set-cookie') for (const kv of value.split(/;\s*/)) this.add(kv.split('=').slice(1).join('='));
      return [name, REDACTED];
    }
    return [name, value];
  }

  headers(list: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
    return list.map(([k, v]) => this.header(k, v));
  }

  /** A URL: userinfo and token-like query values out. Text that is not a URL goes through {@link text}. */
  url(u: string): string {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      return this.text(u);
    }
    if (parsed.username || parsed.password) {
      this.add(decodeURIComponent(parsed.username));
      this.add(decodeURIComponent(parsed.password));
      parsed.username = 'redacted';
      parsed.password = '';
    }
    for (const [k, v] of [...parsed.searchParams]) {
      if (SECRETISH.test(k) || TOKENISH.test(v)) {
        this.add(v);
        parsed.searchParams.set(k, REDACTED);
      }
    }
    return parsed.toString();
  }

  /** Every collected secret (and its URL-encoded and JSON-escaped forms) replaced in `s`. */
  text(s: string): string {
    let out = s;
    // Longest first, so a part never leaves a tail of the whole.
    const all = [...this.secrets].sort((a, b) => b.length - a.length);
    for (const v of all) {
      const hex = Buffer.from(v, 'latin1').toString('hex');
      for (const form of new Set([v, encodeURIComponent(v), JSON.stringify(v).slice(1, -1), v.replace(/ /g, '+'), hex, hex.toUpperCase()])) {
        if (form.length >= 4) out = out.split(form).join(REDACTED);
      }
    }
    return out;
  }

  /**
   * Raw protocol text (an HTTP/1.x head in an excerpt, possibly cut short): credential header
   * lines redacted, every collected secret replaced, and a cut-off start of a secret at the very
   * end removed too.
   */
  wire(s: string): string {
    let out = s.replace(/^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([^\r\n]*)/gm, (line, name: string, value: string) => {
      const [, v] = this.header(name, value);
      return v === value ? line : `${name}: ${REDACTED}`;
    });
    // A credential header cut off by the excerpt: its name is there, its line end is not.
    out = out.replace(/(^|\n)((?:authorization|proxy-authorization|cookie|set-cookie)[^:\n]*:)[^\n]*$/i, `$1$2 ${REDACTED}`);
    out = this.text(out);
    for (const v of this.secrets) {
      for (let n = Math.min(v.length - 1, out.length); n >= 4; n--) {
        if (out.endsWith(v.slice(0, n))) {
          out = out.slice(0, out.length - n) + REDACTED;
          break;
        }
      }
    }
    return out;
  }

  /** The values collected so far (for tests). */
  get size(): number {
    return this.secrets.size;
  }
}

/** True for an NSS key log line (what must never leave the machine in a bundle). */
export function isKeylogLine(line: string): boolean {
  return /^(CLIENT_RANDOM|CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|CLIENT_TRAFFIC_SECRET_\d+|SERVER_TRAFFIC_SECRET_\d+|EXPORTER_SECRET|EARLY_EXPORTER_SECRET|CLIENT_EARLY_TRAFFIC_SECRET) [0-9a-fA-F]+ [0-9a-fA-F]+$/.test(line.trim());
}

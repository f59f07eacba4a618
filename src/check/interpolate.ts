/**
 * `${name}` templates in checks-file strings. `$${` stands for a literal `${`.
 *
 * @example
 *   interpolate('https://${HOST}/health', (n) => ({ HOST: 'api.example.com' })[n]);
 *   // { ok: true, value: 'https://api.example.com/health' }
 */

export type TemplatePart = string | { name: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits a template into literal text and variable references; fails on `${` without `}` or a bad name. */
export function parseTemplate(s: string): { ok: true; parts: TemplatePart[] } | { ok: false; message: string } {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('$${', i)) {
      text += '${';
      i += 3;
      continue;
    }
    if (s.startsWith('${', i)) {
      const end = s.indexOf('}', i + 2);
      if (end < 0) return { ok: false, message: `unterminated '\${' in '${s}' (write '$\${' for a literal '\${')` };
      const name = s.slice(i + 2, end);
      if (!NAME.test(name)) {
        return { ok: false, message: `invalid variable name '${name}' in '${s}': use letters, digits and _` };
      }
      if (text) parts.push(text);
      text = '';
      parts.push({ name });
      i = end + 1;
      continue;
    }
    text += s[i];
    i++;
  }
  if (text) parts.push(text);
  return { ok: true, parts };
}

/** The names a template refers to, in order, without repeats. */
export function templateNames(parts: readonly TemplatePart[]): string[] {
  const names: string[] = [];
  for (const p of parts) if (typeof p !== 'string' && !names.includes(p.name)) names.push(p.name);
  return names;
}

/** Substitutes every reference; fails listing the names `lookup` does not know. */
export function interpolate(
  s: string,
  lookup: (name: string) => string | undefined,
): { ok: true; value: string } | { ok: false; message: string; missing: string[] } {
  const parsed = parseTemplate(s);
  if (!parsed.ok) return { ok: false, message: parsed.message, missing: [] };
  let value = '';
  const missing: string[] = [];
  for (const p of parsed.parts) {
    if (typeof p === 'string') {
      value += p;
      continue;
    }
    const v = lookup(p.name);
    if (v === undefined) {
      if (!missing.includes(p.name)) missing.push(p.name);
    } else {
      value += v;
    }
  }
  if (missing.length > 0) {
    return { ok: false, message: `undefined variable${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`, missing };
  }
  return { ok: true, value };
}

/**
 * JUnit XML for `h2doctor check --junit FILE`: one <testsuite> per environment, one <testcase>
 * per check, a <failure> listing every failed expectation, an <error> when the check could not run.
 * The shape CI systems (Jenkins, GitLab, GitHub test reporters) read.
 *
 * @example
 *   writeFile('junit.xml', toJUnitXml(results, { timestamp: new Date() }));
 */
import type { CheckResult } from '../model/index.js';

/**
 * How the JUnit report is named and dated.
 * @example toJUnitXml(results, { suiteName: 'edge checks', timestamp: new Date(0) })
 */
export interface JUnitOptions {
  /** Default 'h2doctor check'; the environment is appended per suite. */
  suiteName?: string;
  /** When the run started; default now (pass it for reproducible output). */
  timestamp?: Date;
}

/**
 * Renders results as a JUnit XML document (UTF-8, XML 1.0).
 *
 * @example
 *   toJUnitXml([{ name: 'health', env: 'prod', url: 'https://a.test/', passed: true, failures: [], durationMs: 12 }]);
 */
export function toJUnitXml(results: readonly CheckResult[], opts: JUnitOptions = {}): string {
  const suiteName = opts.suiteName ?? 'h2doctor check';
  const timestamp = (opts.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, '');
  const byEnv = new Map<string, CheckResult[]>();
  for (const r of results) {
    const list = byEnv.get(r.env);
    if (list) list.push(r);
    else byEnv.set(r.env, [r]);
  }

  const all = summarise(results);
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(
    `<testsuites name="${attr(suiteName)}" tests="${all.tests}" failures="${all.failures}" errors="${all.errors}" time="${seconds(all.ms)}">`,
  );
  for (const [env, list] of byEnv) {
    const s = summarise(list);
    lines.push(
      `  <testsuite name="${attr(`${suiteName} (${env})`)}" tests="${s.tests}" failures="${s.failures}" errors="${s.errors}" skipped="0" time="${seconds(s.ms)}" timestamp="${timestamp}">`,
    );
    for (const r of list) lines.push(...testcase(r));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}

function testcase(r: CheckResult): string[] {
  const open = `    <testcase classname="${attr(`h2doctor.${r.env}`)}" name="${attr(r.name)}" time="${seconds(r.durationMs)}"`;
  if (r.error !== undefined) {
    return [`${open}>`, `      <error message="${attr(r.error)}" type="error">${text(`${r.url}\n${r.error}`)}</error>`, '    </testcase>'];
  }
  if (r.passed) return [`${open}/>`];
  const first = r.failures[0];
  const message = first ? (r.failures.length > 1 ? `${first.message} (and ${r.failures.length - 1} more)` : first.message) : 'failed';
  const type = r.failures.map((f) => f.expectation).join(',') || 'failed';
  const body = [r.url, ...r.failures.map((f) => `${f.expectation}: ${f.message} (expected ${f.expected}, actual ${f.actual})`)].join('\n');
  return [`${open}>`, `      <failure message="${attr(message)}" type="${attr(type)}">${text(body)}</failure>`, '    </testcase>'];
}

function summarise(list: readonly CheckResult[]): { tests: number; failures: number; errors: number; ms: number } {
  let failures = 0;
  let errors = 0;
  let ms = 0;
  for (const r of list) {
    if (r.error !== undefined) errors++;
    else if (!r.passed) failures++;
    ms += Number.isFinite(r.durationMs) ? r.durationMs : 0;
  }
  return { tests: list.length, failures, errors, ms };
}

function seconds(ms: number): string {
  return (Math.max(0, Number.isFinite(ms) ? ms : 0) / 1000).toFixed(3);
}

/**
 * XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
 * Anything else (control characters, lone surrogates, U+FFFE/U+FFFF) cannot appear even escaped.
 */
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Removes characters XML 1.0 forbids.
 * @example stripInvalidXmlChars('a\u0000b') // 'ab'
 */
export function stripInvalidXmlChars(s: string): string {
  return s.replace(INVALID_XML_CHARS, '');
}

/**
 * Escapes text content.
 * @example escapeXmlText('a < b & c') // 'a &lt; b &amp; c'
 */
export function escapeXmlText(s: string): string {
  return stripInvalidXmlChars(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // XML 1.0 §2.11: a parser turns a raw CR into LF; a reference keeps it.
    .replace(/\r/g, '&#13;');
}

/**
 * Escapes an attribute value (double-quoted); newlines and tabs survive as character references.
 * @example escapeXmlAttr('say "hi"\n') // 'say &quot;hi&quot;&#10;'
 */
export function escapeXmlAttr(s: string): string {
  return escapeXmlText(s)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // XML 1.0 §3.3.3: attribute values normalise whitespace characters to spaces; references survive.
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

const attr = escapeXmlAttr;
const text = escapeXmlText;

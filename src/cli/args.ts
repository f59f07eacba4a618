/**
 * Flag parsing on node:util parseArgs, with one-line errors (UsageError → exit 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;
import { UsageError } from './io.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(args: string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true }) as Parsed<O>;
  } catch (e) {
    const err = e as Error & { code?: string };
    // node:util's messages are one line but name the flag oddly; keep the gist.
    const msg = err.message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '').replace(/^Unknown option '(.+?)'.*$/, 'unknown option $1');
    throw new UsageError(msg);
  }
}

/** A positive integer flag value, or a UsageError naming the flag. */
export function intFlag(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`${name} wants a whole number, got ${JSON.stringify(v)}`);
  const n = Number(v);
  if (n < min || n > max) throw new UsageError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

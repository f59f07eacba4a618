/** Is a bare command-line word a URL? (Its own module: run.ts and commands/diagnose.ts both use it.) */
import { UsageError } from '../model/errors.js';
import { COMMANDS } from './registry.js';
import { suggest } from './spec.js';

/**
 * True when a word can be a URL or host: a scheme, a dot, a port, an IPv6 literal or localhost.
 * A bare word (`version`, `frobnicate`) is neither, and is refused before any name is resolved.
 */
export function looksLikeUrl(word: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(word) || /[.:[\]]/.test(word) || /^localhost$/i.test(word);
}

/** Refuses a word that is no command and no URL, with the nearest command or flag. */
export function assertUrlLike(word: string): void {
  if (looksLikeUrl(word)) return;
  const candidates = [...COMMANDS.map((c) => c.name), '--version', '--help'];
  const near = suggest(word, candidates).concat(suggest(`--${word}`, ['--version', '--help']));
  const uniq = [...new Set(near)];
  const hint = uniq.length ? `did you mean ${uniq.map((n) => `h2doctor ${n}`).join(' or ')}?` : `commands: ${COMMANDS.map((c) => c.name).join(', ')}.`;
  throw new UsageError(`"${word}" is neither a command nor a URL; ${hint} (To diagnose a host of that name: h2doctor https://${word})`);
}

/**
 * The one colour helper: ANSI SGR styles, or the text unchanged when colour is off. Whether colour
 * is on is the CLI's decision (--color, NO_COLOR, FORCE_COLOR, a terminal); renderers get a boolean.
 *
 * @example
 *   const c = styler(true);
 *   c('FAIL', 'bold', 'red'); // '\x1b[1m\x1b[31mFAIL\x1b[0m'
 */
export const ANSI = { red: 31, yellow: 33, green: 32, cyan: 36, magenta: 35, dim: 2, bold: 1 } as const;
/**
 * A style the terminal renderers use.
 * @example const s: Style = 'dim';
 */
export type Style = keyof typeof ANSI;
/**
 * Paints a string in styles (a no-op without colour).
 * @example const c: Paint = styler(true); c('error', 'red', 'bold')
 */
export type Paint = (s: string, ...styles: Style[]) => string;

/**
 * The one colour helper: paints with ANSI styles when colour is on (the user's choice), else returns the text.
 * @example styler(false)('x', 'red') // 'x'; styler(true)('x', 'red') // '\u001b[31mx\u001b[0m'
 */
export function styler(color: boolean | undefined): Paint {
  return (s, ...styles) => (color && styles.length ? styles.map((x) => `\x1b[${ANSI[x]}m`).join('') + s + '\x1b[0m' : s);
}

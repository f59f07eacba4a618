/**
 * "Did you mean" for misspelt keys, codes and names.
 *
 * @example
 *   suggest('protocl', ['protocol', 'minTls']); // 'protocol'
 */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c.toLowerCase() === lower) return c;
  }
  // A clipped word ('warn' for 'warning') is a slip too.
  if (lower.length >= 3) {
    const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(lower));
    if (prefixed.length === 1) return prefixed[0];
  }
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  // Close means a slip of the keyboard, not a different word: about one edit per four letters.
  const limit = Math.max(1, Math.floor(Math.max(input.length, 4) / 4));
  return bestDistance <= limit ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  // Bounded: names are short; anything long is no typo of anything.
  if (a.length > 64 || b.length > 64) return Math.max(a.length, b.length);
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    row[0] = i;
    rows.push(row);
  }
  const first = rows[0]!;
  for (let j = 0; j <= b.length; j++) first[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i]!;
    const prev = rows[i - 1]!;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      }
      row[j] = v;
    }
  }
  return rows[a.length]![b.length]!;
}

/** " (did you mean 'x'?)" or ''. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const s = suggest(input, candidates);
  return s === undefined ? '' : ` (did you mean '${s}'?)`;
}

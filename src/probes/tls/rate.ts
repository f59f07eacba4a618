/**
 * A pace for new connections: at most `perSecond` starts per second, spread evenly (the first
 * starts at once). `--rate` during a survey, so a survey does not look like a flood to the server.
 *
 * @example
 * const pace = pacer(10);
 * await pace(); // resolves at once, then every 100 ms for the next callers
 */
export function pacer(perSecond: number | undefined): () => Promise<void> {
  if (!perSecond || !Number.isFinite(perSecond) || perSecond <= 0) return () => Promise.resolve();
  const gap = 1000 / perSecond;
  let next = 0;
  return () => {
    const now = performance.now();
    const at = Math.max(now, next);
    next = at + gap;
    const wait = at - now;
    return wait <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, wait));
  };
}

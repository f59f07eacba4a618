/**
 * Deadlines that judge what had already arrived. When the event loop was busy past a deadline (a
 * loaded machine, a concurrent probe parsing a flood, garbage collection), Node runs the expired
 * timer before its poll phase reads the bytes that reached the socket in time, so a timer alone
 * would call an answered probe a timeout: a false `preface-timeout` or `tcp-timeout`. Past a
 * deadline, one turn of the loop (setImmediate runs after the poll phase) lets those bytes in first;
 * a server that really sent nothing is still a timeout, a turn later.
 */

/** One turn of the event loop: I/O that is ready now has been read when this resolves. */
export const pollOnce = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Call `fire` once `deadline` (performance.now() ms) has passed and the I/O that was ready by then
 * has been read; the returned function cancels it.
 */
export function onDeadline(deadline: number, fire: () => void): () => void {
  let cancelled = false;
  const timer = setTimeout(
    () =>
      setImmediate(() => {
        if (!cancelled) fire();
      }),
    Math.max(1, deadline - performance.now()),
  );
  return () => {
    cancelled = true;
    clearTimeout(timer);
  };
}

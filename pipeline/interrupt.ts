/**
 * Ctrl-C (SIGINT) and SIGTERM during a command that writes (decision 13 (docs/decisions.md), docs/safety.md).
 *
 * Node runs a signal's handler only between synchronous stretches of work, and everything synth
 * does holding its lock (validating, writing the staging tree, the swap, the clean-up) is one
 * such stretch. So with a handler installed, a signal never cuts the write short: the write that
 * has begun finishes (the output is then the old or the new complete tree, the lock released,
 * no staging folder left), and the command stops at the next {@link checkpoint} or when its work
 * is done, with exit code 128 + the signal's number. Without a handler the default action would
 * kill the process in the middle, leaving the lock and the staging folders behind.
 */

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type Stoppable = keyof typeof EXIT_CODES;

/**
 * Installs handlers for SIGINT and SIGTERM that print `message(signal)` (one sentence) and exit
 * with 130 or 143. Returns a function that removes them.
 */
export function stopOnSignal(message: (signal: Stoppable) => string): () => void {
  const handlers = (Object.keys(EXIT_CODES) as Stoppable[]).map((signal) => {
    const handler = () => {
      process.stderr.write(`${message(signal)}\n`);
      process.exit(EXIT_CODES[signal]);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((remove) => remove());
}

/** Lets a signal that arrived during the work so far be handled now (before the next step). */
export function checkpoint(): Promise<void> {
  return new Promise((done) => setImmediate(done));
}

/** The signals that end a run early, with the exit code a shell reports for each (128 + n). */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/** 128 + SIGINT: the exit code a shell reports for a process that Ctrl-C ended. */
export const EXIT_INTERRUPTED = SIGNAL_EXIT_CODES.SIGINT;

/**
 * Run `cleanUp` (synchronous: a signal handler cannot await) and exit with the signal's code on
 * Ctrl-C, a kill (SIGTERM) or a closed terminal (SIGHUP), until the returned function is called.
 * Register before creating what `cleanUp` removes, so that no signal can fall between the two.
 */
export function onInterrupt(cleanUp: () => void): () => void {
  const signals = Object.keys(SIGNAL_EXIT_CODES) as (keyof typeof SIGNAL_EXIT_CODES)[];
  const handlers = signals.map((signal) => {
    const handler = (): void => {
      cleanUp();
      process.exit(SIGNAL_EXIT_CODES[signal]);
    };
    process.once(signal, handler);
    return { signal, handler };
  });
  return () => {
    for (const { signal, handler } of handlers) process.removeListener(signal, handler);
  };
}

/** 128 + SIGINT: the exit code a shell reports for a process that Ctrl-C ended. */
export const EXIT_INTERRUPTED = 130;

/**
 * Run `cleanUp` (synchronous: a signal handler cannot await) and exit with EXIT_INTERRUPTED on
 * Ctrl-C, until the returned function is called. Register before creating what `cleanUp`
 * removes, so that no Ctrl-C can fall between the two.
 */
export function onInterrupt(cleanUp: () => void): () => void {
  const handler = (): void => {
    cleanUp();
    process.exit(EXIT_INTERRUPTED);
  };
  process.once("SIGINT", handler);
  return () => process.removeListener("SIGINT", handler);
}

import { SingleBar } from "cli-progress";
import { formatDuration } from "../sim/duration.js";
import type { Logger } from "../sim/logger.js";

/** What a run reports its progress to; a no-op when progress is not shown. */
export interface Progress {
  update(simulatedSeconds: number): void;
  stop(): void;
  /** A logger whose warnings do not break the bar's line. */
  wrap(logger: Logger): Logger;
}

const QUIET: Progress = { update: () => {}, stop: () => {}, wrap: (logger) => logger };

/** Erase the current terminal line: the bar is redrawn on its next update. */
const CLEAR_LINE = "\r\x1b[2K";

/**
 * A progress bar on `stream` when it is a terminal and `isWanted`, nothing otherwise. With a
 * finite horizon it shows the share of simulated time; a trace with no horizon shows the
 * simulated time reached, since its length is not known until it ends.
 */
export function startProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  horizonSeconds: number,
  isWanted: boolean,
): Progress {
  if (!isWanted || stream.isTTY !== true) return QUIET;

  const hasHorizon = Number.isFinite(horizonSeconds) && horizonSeconds > 0;
  const bar = new SingleBar({
    stream,
    format: hasHorizon
      ? "simulating [{bar}] {percentage}% | {simulated} of {horizon} | ETA {eta_formatted}"
      : "simulating | {simulated} simulated",
    barsize: 30,
    hideCursor: true,
    clearOnComplete: true,
    fps: 8,
    formatTime: (seconds) => (Number.isFinite(seconds) ? formatDuration(Math.round(seconds)) : "-"),
    // The run's own Ctrl-C handler stops the bar before it removes the partial output.
    gracefulExit: false,
  });
  const horizon = hasHorizon ? horizonSeconds : 1;
  const payload = (seconds: number) => ({
    simulated: formatDuration(Math.floor(seconds)),
    horizon: hasHorizon ? formatDuration(horizonSeconds) : "",
  });
  bar.start(horizon, 0, payload(0));

  let isActive = true;
  return {
    update: (seconds) => {
      if (isActive) bar.update(hasHorizon ? Math.min(seconds, horizon) : 0, payload(seconds));
    },
    stop: () => {
      if (isActive) bar.stop();
      isActive = false;
    },
    wrap: (logger) => ({
      warn: (message) => {
        if (isActive) stream.write(CLEAR_LINE);
        logger.warn(message);
      },
    }),
  };
}

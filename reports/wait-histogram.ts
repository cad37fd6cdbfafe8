import type { StartKind } from "../sim/task.js";

export const START_KINDS: readonly StartKind[] = ["warm", "queued", "cold"];

/** Waits below this are counted here: a log axis has no zero, and a warm start often waits 0. */
export const WAIT_FLOOR_SECONDS = 1e-3;

/** Bin edges 10^(1/20) = 12% apart: fine enough for a chart, and a fixed, data-free grid. */
export const BINS_PER_DECADE = 20;

/** From 1 ms to 10^7 s (115 days); longer waits are counted in the last bin. */
const DECADES = 10;
const BIN_COUNT = DECADES * BINS_PER_DECADE + 1;

/**
 * Lower edge of bin `index`: its waits are above it. Bin 0 holds every wait up to the floor, 0
 * included; a chart draws them at the floor, so its lower edge is one bin below.
 */
export function binLowerEdge(index: number): number {
  return binUpperEdge(index - 1);
}

/** Upper edge of bin `index`: bin 0 holds every wait up to the floor. */
export function binUpperEdge(index: number): number {
  return WAIT_FLOOR_SECONDS * 10 ** (index / BINS_PER_DECADE);
}

/** The first bin whose upper edge is at least `waitSeconds`, so counts up to an edge are exact. */
export function binOf(waitSeconds: number): number {
  if (waitSeconds <= WAIT_FLOOR_SECONDS) return 0;
  let index = Math.ceil(Math.log10(waitSeconds / WAIT_FLOOR_SECONDS) * BINS_PER_DECADE);

  // The logarithm may land one bin off: settle on the exact edge.
  while (index > 0 && binUpperEdge(index - 1) >= waitSeconds) index--;
  while (index < BIN_COUNT - 1 && binUpperEdge(index) < waitSeconds) index++;
  return Math.min(index, BIN_COUNT - 1);
}

/** Counts of waits per environment and start kind, on log-spaced bins: bounded whatever the run. */
export class WaitHistogram {
  private readonly counts = new Map<string, Record<StartKind, number[]>>();
  private readonly unfinished = new Map<string, number>();
  /** The longest wait of each environment and kind, exact: a curve ends there, not at a bin edge. */
  private readonly longest = new Map<string, Record<StartKind, number>>();

  constructor(environments: readonly string[]) {
    for (const name of environments) {
      this.counts.set(name, { warm: zeros(), queued: zeros(), cold: zeros() });
      this.unfinished.set(name, 0);
      this.longest.set(name, { warm: 0, queued: 0, cold: 0 });
    }
  }

  get environments(): string[] {
    return [...this.counts.keys()];
  }

  /** False when the environment is unknown. */
  add(env: string, kind: StartKind, waitSeconds: number): boolean {
    const bins = this.counts.get(env);
    if (bins === undefined) return false;
    bins[kind][binOf(waitSeconds)]++;
    const longest = this.longest.get(env) as Record<StartKind, number>;
    if (waitSeconds > longest[kind]) longest[kind] = waitSeconds;
    return true;
  }

  addUnfinished(env: string): boolean {
    const count = this.unfinished.get(env);
    if (count === undefined) return false;
    this.unfinished.set(env, count + 1);
    return true;
  }

  /** Counts per bin of one environment and kind (a copy). */
  bins(env: string, kind: StartKind): number[] {
    return [...(this.counts.get(env)?.[kind] ?? zeros())];
  }

  total(env: string, kind: StartKind): number {
    return this.bins(env, kind).reduce((sum, count) => sum + count, 0);
  }

  /** The longest wait counted for the environment and kind; 0 when none was. */
  max(env: string, kind: StartKind): number {
    return this.longest.get(env)?.[kind] ?? 0;
  }

  unfinishedCount(env: string): number {
    return this.unfinished.get(env) ?? 0;
  }
}

function zeros(): number[] {
  return new Array<number>(BIN_COUNT).fill(0);
}

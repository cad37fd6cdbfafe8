import type { Rng } from "../sim/random.js";
import { fixedFanout } from "./fanout.js";
import type { ArrivalSource, TaskArrival } from "./source.js";

export interface ReplayFilterOptions {
  /** Keep arrivals in [from, to) of the trace's clock, shifted by -from. */
  fromMicros: number;
  toMicros: number;
  /** After the shift, arrivals at or after this instant end the replay. */
  horizonMicros: number;
  /** Arrival-rate factor; 1 leaves the trace as it is. */
  load: number;
  /** Draws the fractional part of the load; used only when load is not whole. */
  loadRng: Rng;
  /** Every arrival goes to this one environment (mapping by "all"). */
  renameTo?: string;
  /** Computed before the first arrival is let through: the environments to keep (top N). */
  selectEnvironments?: () => Promise<ReadonlySet<string>>;
}

/**
 * A recorded trace, cut to a time window, thinned to some environments, and scaled in load.
 *
 * Load L keeps each arrival floor(L) times, plus once more with probability L - floor(L) (one
 * draw per arrival): L = 2 doubles every arrival, L = 0.5 keeps each with probability one half.
 * Copies arrive at the same instant as the original and take its duration; the first copy keeps
 * the id, the others add `+2`, `+3`, ... A task with children (a trace's parent column) is copied
 * with its whole tree, every child's id suffixed the same way; renamed (mapping by "all"), its
 * children go to the one environment too.
 */
export class ReplayFilter implements ArrivalSource {
  readonly label: string;
  private readonly inner: ArrivalSource;
  private readonly options: ReplayFilterOptions;
  private readonly wholeCopies: number;
  private readonly extraChance: number;
  private kept: ReadonlySet<string> | null = null;
  private isDone = false;

  constructor(inner: ArrivalSource, options: ReplayFilterOptions) {
    this.label = inner.label;
    this.inner = inner;
    this.options = options;
    this.wholeCopies = Math.floor(options.load);
    this.extraChance = options.load - this.wholeCopies;
  }

  async next(): Promise<readonly TaskArrival[] | null> {
    if (this.isDone) return null;
    if (this.kept === null && this.options.selectEnvironments !== undefined) {
      this.kept = await this.options.selectEnvironments();
    }

    for (;;) {
      const batch = await this.inner.next();
      if (batch === null) return this.end();
      const output = this.filter(batch);
      if (this.isDone) await this.inner.close();
      if (output.length > 0) return output;
      if (this.isDone) return null;
    }
  }

  memoryMbOf(env: string): number | undefined {
    return this.inner.memoryMbOf?.(env);
  }

  async close(): Promise<void> {
    this.isDone = true;
    await this.inner.close();
  }

  private filter(batch: readonly TaskArrival[]): TaskArrival[] {
    const { fromMicros, toMicros, horizonMicros } = this.options;
    const endMicros = Math.min(toMicros - fromMicros, horizonMicros);
    const output: TaskArrival[] = [];

    for (const arrival of batch) {
      if (arrival.arrivalAt < fromMicros) continue;
      const arrivalAt = arrival.arrivalAt - fromMicros;
      if (arrivalAt >= endMicros) {
        this.isDone = true;
        break;
      }
      if (this.kept !== null && !this.kept.has(arrival.env)) continue;
      this.copy(arrival, arrivalAt, output);
    }
    return output;
  }

  private copy(arrival: TaskArrival, arrivalAt: number, output: TaskArrival[]): void {
    let copies = this.wholeCopies;
    if (this.extraChance > 0 && this.options.loadRng() < this.extraChance) copies++;
    if (copies === 0) return;

    const env = this.options.renameTo ?? arrival.env;
    const isSame = arrivalAt === arrival.arrivalAt && env === arrival.env;
    const shifted = isSame ? arrival : { ...arrival, arrivalAt, env };
    output.push(this.options.renameTo === undefined ? shifted : this.withTree(shifted, ""));
    for (let n = 2; n <= copies; n++) output.push(this.withTree(shifted, `+${n}`));
  }

  /**
   * A task with its tree of children (a trace's parent column), every id suffixed and, mapping
   * by "all", every child in the one environment: a copy's children are copies too.
   */
  private withTree(arrival: TaskArrival, suffix: string): TaskArrival {
    const { fanout } = arrival;
    if (fanout === undefined || fanout === null) {
      return suffix === "" ? arrival : { ...arrival, id: arrival.id + suffix };
    }
    const renameTo = this.options.renameTo;
    const children = fixedFanout(fanout).withChildren((child) => ({
      id: child.id + suffix,
      env: renameTo ?? child.env,
    }));
    return { ...arrival, id: arrival.id + suffix, fanout: children };
  }

  private end(): null {
    this.isDone = true;
    return null;
  }
}

import type { Fanout } from "../sim/task.js";
import { fixedFanout } from "./fanout.js";
import type { ArrivalSource, TaskArrival } from "./source.js";

/**
 * A trace whose every task, and every child of its parent column at every depth, fails if it is
 * still waiting or running `timeoutMicros` after it arrived (the workload's `timeout`).
 */
export class TraceTimeout implements ArrivalSource {
  readonly label: string;
  private readonly inner: ArrivalSource;
  private readonly timeoutMicros: number;

  constructor(inner: ArrivalSource, timeoutMicros: number) {
    this.label = inner.label;
    this.inner = inner;
    this.timeoutMicros = timeoutMicros;
  }

  async next(): Promise<readonly TaskArrival[] | null> {
    const batch = await this.inner.next();
    return batch === null ? null : batch.map((arrival) => this.timed(arrival));
  }

  memoryMbOf(env: string): number | undefined {
    return this.inner.memoryMbOf?.(env);
  }

  async close(): Promise<void> {
    await this.inner.close();
  }

  private timed(arrival: TaskArrival): TaskArrival {
    const timeoutMicros = this.timeoutMicros;
    const fanout =
      arrival.fanout === undefined || arrival.fanout === null
        ? null
        : fixedFanout(arrival.fanout).withChildren(() => ({ timeoutMicros }));
    return new TimedArrival(arrival, timeoutMicros, fanout);
  }
}

/**
 * An arrival with a timeout. NOTE: the id is read through the original when asked, not copied:
 * a replay's ids are built only for a tasks.csv (see NumberedArrival).
 */
class TimedArrival implements TaskArrival {
  readonly env: string;
  readonly arrivalAt: number;
  readonly workMicros: number;
  readonly timeoutMicros: number;
  readonly fanout: Fanout | null;
  private readonly original: TaskArrival;

  constructor(original: TaskArrival, timeoutMicros: number, fanout: Fanout | null) {
    this.original = original;
    this.env = original.env;
    this.arrivalAt = original.arrivalAt;
    this.workMicros = original.workMicros;
    this.timeoutMicros = timeoutMicros;
    this.fanout = fanout;
  }

  get id(): string {
    return this.original.id;
  }
}

import type { Fanout } from "../sim/task.js";

/** One task as a workload delivers it to the engine. Times in integer microseconds. */
export interface TaskArrival {
  readonly id: string;
  /** Name of the environment the task runs in. */
  readonly env: string;
  readonly arrivalAt: number;
  readonly workMicros: number;
  /** A task still waiting or running this long after its arrival fails; absent: never. */
  readonly timeoutMicros?: number;
  /** Children the task launches after its own work; absent: none. */
  readonly fanout?: Fanout | null;
  /**
   * A trace row with a parent (workloads/task-tree.ts): the id of its parent, and the row's
   * line for messages. Such a row has no arrival of its own (arrivalAt -1).
   */
  readonly parentId?: string;
  readonly line?: number;
  /** A trace row's `tail`: the parent's own work after its last child; absent: none. */
  readonly tailMicros?: number;
  /**
   * In a trace with a parent column, where the row's id and parent are, for messages: the
   * column in CSV, the character column of the value in JSON Lines (numbers, not Column
   * objects, so that a trace read whole keeps no more than two numbers a row for them).
   */
  readonly idColumn?: number;
  readonly parentColumn?: number;
}

/**
 * A stream of arrivals in non-decreasing time order, delivered in batches so that a reader of a
 * large file can stream it and the engine awaits only once per batch. `next()` resolves to null
 * at the end; a source that finds its input out of order throws a UserError naming the line.
 */
export interface ArrivalSource {
  /** Short description for messages, e.g. `workloads[1] (traces/day.csv)`. */
  readonly label: string;
  next(): Promise<readonly TaskArrival[] | null>;
  /**
   * Memory of a replica of the named environment in MB, when the trace records it (Azure 2019
   * memory.csv); read once at the end of a run to price replicas by the GB-hour.
   */
  memoryMbOf?(env: string): number | undefined;
  /** Release files or streams early (the run was stopped); safe to call twice. */
  close(): Promise<void>;
}

import type { FleetCounter } from "../sim/accounting.js";
import { Environment, type EnvironmentHost, type EnvironmentSettings } from "../sim/environment.js";
import type { Replica } from "../sim/replica.js";
import type { Task } from "../sim/task.js";

/**
 * The no-reuse baseline (MODEL.md §5): what Flyte does without a ReusePolicy. Every task gets a
 * fresh container with a full cold start, which is removed the moment the task ends. There is
 * no pool, no cap and nothing for a control tick to do.
 */
export class NoReuse extends Environment {
  private live = 0;

  constructor(settings: EnvironmentSettings, host: EnvironmentHost, fleet: FleetCounter) {
    super(settings, 1, host, fleet);
  }

  get isAlive(): boolean {
    return false;
  }

  describePolicy(): Record<string, unknown> {
    return { kind: "none" };
  }

  arrive(task: Task, now: number): void {
    this.accounting.recordArrival();
    this.accounting.recordWaiting(now, 1);
    const replica = this.requestReplica(now);
    replica.boundTask = task;
    this.live++;
  }

  becomeReady(replica: Replica, now: number): void {
    this.markReady(replica, now);
    this.accounting.recordWaiting(now, -1);
    this.place(replica.boundTask as Task, replica, "cold", now);
  }

  finish(task: Task, now: number): void {
    const replica = this.release(task, now);
    replica.boundTask = null;
    this.removeReplica(replica, now, "task-ended");
    this.live--;
    if (this.live === 0) this.accounting.recordEmpty(now);
  }

  control(): void {}

  /** A task waits only for its own replica's cold start, whose end is always scheduled. */
  waitingTasks(): Iterable<Task> {
    return [];
  }
}

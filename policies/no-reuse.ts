import type { FleetCounter } from "../sim/accounting.js";
import { Environment, type EnvironmentHost, type EnvironmentSettings } from "../sim/environment.js";
import type { Replica } from "../sim/replica.js";
import { type Task, TaskState } from "../sim/task.js";

/**
 * The no-reuse baseline (MODEL.md §5): what Flyte does without a ReusePolicy. Every task gets a
 * fresh container with a full cold start, which is removed the moment the task ends. There is
 * no pool, no cap and nothing for a control tick to do.
 */
export class NoReuse extends Environment {
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
    this.accounting.recordWaiting(now, 1);
    const replica = this.requestReplica(now);
    replica.boundTask = task;
    task.replica = replica;
  }

  becomeReady(replica: Replica, now: number): void {
    if (replica.boundTask === null) return; // its task failed while the replica was starting
    this.markReady(replica, now);
    this.accounting.recordWaiting(now, -1);
    this.place(replica.boundTask, replica, "cold", now);
  }

  finish(task: Task, now: number): void {
    const replica = this.release(task, now);
    replica.boundTask = null;
    this.removeReplica(replica, now, "task-ended");
  }

  /** A failed task's replica goes with it, whether it was still starting or running. */
  abort(task: Task, now: number): void {
    const replica = task.replica as Replica;
    if (task.state === TaskState.waiting) {
      this.accounting.recordWaiting(now, -1);
      task.replica = null;
    } else {
      this.release(task, now);
    }
    replica.boundTask = null;
    this.removeReplica(replica, now, "task-ended");
  }

  control(): void {}

  /** A task waits only for its own replica's cold start, whose end is always scheduled. */
  waitingTasks(): Iterable<Task> {
    return [];
  }
}

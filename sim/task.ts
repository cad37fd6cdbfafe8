import type { Environment } from "./environment.js";
import type { Replica } from "./replica.js";

/**
 * How a task came to start (summary.json `tasksByStart`):
 * - warm: placed on a ready replica the moment it arrived;
 * - queued: waited, then took a slot that freed on a ready replica;
 * - cold: waited, then was placed on a replica the moment that replica became ready.
 */
export type StartKind = "warm" | "queued" | "cold";

/** Where a task is in its life. A parent passes through `awaitingChildren` and `tail`. */
export const TaskState = {
  waiting: 0,
  running: 1,
  awaitingChildren: 2,
  tail: 3,
  completed: 4,
  failed: 5,
  cancelled: 6,
} as const;
export type TaskStateValue = (typeof TaskState)[keyof typeof TaskState];

/** What a child task is made of when its parent launches it. */
export interface ChildSpec {
  readonly id: string;
  readonly env: string;
  readonly workMicros: number;
  /** 0: no timeout. */
  readonly timeoutMicros: number;
  /** The child's own children, for nesting deeper than one level. */
  readonly fanout: Fanout | null;
}

/**
 * How a parent task fans out: after its own work (the setup) it launches its children wave by
 * wave, each wave when the previous one has ended, then runs its tail and ends. It holds its
 * slot the whole time (MODEL.md §3).
 */
export interface Fanout {
  readonly waves: number;
  /** The children of one wave; called when the wave is launched. */
  launch(parent: Task, wave: number): ChildSpec[];
  /** The parent's own work after its last child has ended. */
  tailMicros(parent: Task): number;
}

/** Anything that carries a task's id: a workload's arrival, a child's spec. */
export interface HasId {
  readonly id: string;
}

/** The children of a task that has none: shared, never written to. */
const NO_CHILDREN: readonly Task[] = Object.freeze([]);

/**
 * One task's life in the simulation. Times are integer microseconds from the run's origin.
 *
 * NOTE: every field is set in the constructor, in the same order, so that all tasks share one
 * hidden class and the engine's reads of them stay monomorphic; a run makes one per task.
 */
export class Task {
  /**
   * NOTE: the id is read through the arrival rather than copied, so that a synthetic workload
   * can build its text only when someone asks (a tasks.csv writer), not for every task of a
   * ten-million-task run.
   */
  private readonly named: HasId;
  readonly env: Environment;
  readonly arrivalAt: number;
  /** The task's own run time (a parent's setup), overheads excluded. */
  readonly workMicros: number;
  state: TaskStateValue;
  /** Set when a slot is taken; -1 until then. */
  placedAt: number;
  /** When the task's own code starts: placement plus dispatch and first-task overheads. */
  startAt: number;
  endAt: number;
  kind: StartKind;
  replica: Replica | null;

  // Nesting: all null or empty for a task without children.
  readonly parent: Task | null;
  readonly fanout: Fanout | null;
  /** Launched children; a shared empty list until the first wave (see addChild). */
  children: readonly Task[];
  wave: number;
  pendingChildren: number;

  constructor(
    named: HasId,
    env: Environment,
    arrivalAt: number,
    workMicros: number,
    parent: Task | null,
    fanout: Fanout | null,
  ) {
    this.named = named;
    this.env = env;
    this.arrivalAt = arrivalAt;
    this.workMicros = workMicros;
    this.state = TaskState.waiting;
    this.placedAt = -1;
    this.startAt = -1;
    this.endAt = -1;
    this.kind = "warm";
    this.replica = null;
    this.parent = parent;
    this.fanout = fanout;
    this.children = NO_CHILDREN;
    this.wave = 0;
    this.pendingChildren = 0;
  }

  get id(): string {
    return this.named.id;
  }

  addChild(child: Task): void {
    if (this.children === NO_CHILDREN) this.children = [];
    (this.children as Task[]).push(child);
  }

  get hasEnded(): boolean {
    return this.state >= TaskState.completed;
  }
}

import { Accounting, type FleetCounter } from "./accounting.js";
import type { Sampler } from "./distributions.js";
import { quote } from "./errors.js";
import type { EnvironmentEvent, RemovalReason, ReplicaEvent } from "./lifecycle.js";
import type { Rng } from "./random.js";
import { Replica, ReplicaState } from "./replica.js";
import { type StartKind, type Task, TaskState } from "./task.js";

/** What the engine offers an environment: scheduling, and where finished tasks go. */
export interface EnvironmentHost {
  scheduleReady(replica: Replica, at: number): void;
  scheduleCompletion(task: Task, at: number): void;
  /** Exact timers: run this environment's control step at `at` (control period 0 only). */
  scheduleControl(environment: Environment, at: number): void;
  /** The environment now has replicas and needs control ticks until it is torn down. */
  wakeTicks(now: number, environment: Environment): void;
  /** A replica was requested, became ready or was removed (a debugging hook; may do nothing). */
  replicaChanged(
    kind: ReplicaEvent["kind"],
    replica: Replica,
    at: number,
    reason?: RemovalReason,
  ): void;
  /** An environment was created or torn down (a debugging hook; may do nothing). */
  environmentChanged(kind: EnvironmentEvent["kind"], environment: Environment, at: number): void;
}

/**
 * A moment when every slot an environment can ever have is held by parents that wait on
 * children queued in the same environment: nothing there can progress (MODEL.md §3).
 */
export interface StarvationEvent {
  at: number;
  env: string;
  slots: number;
  /** The parents holding the slots, then their children waiting for one. */
  parents: string[];
  children: string[];
  /** What happened and what to do about it, in words (see starvationReason). */
  reason: string;
}

/** Why an environment starved and what would prevent it, in a sentence for summary.json. */
export function starvationReason(env: string, slots: number): string {
  const held =
    slots === 1
      ? `the only slot of environment ${quote(env)} (max replicas x concurrency = 1) is held by a parent task`
      : `all ${slots} slots of environment ${quote(env)} (max replicas x concurrency) are held by parent tasks`;
  return (
    `${held} waiting for children queued in ${quote(env)}; raise max replicas, raise ` +
    "concurrency for async tasks, or run the parent in another environment"
  );
}

/** Everything about an environment except its policy, resolved to internal units. */
export interface EnvironmentSettings {
  readonly name: string;
  readonly coldStart: Sampler;
  readonly coldStartRng: Rng;
  readonly firstTaskOverheadMicros: number;
  readonly dispatchOverheadMicros: number;
  readonly perReplicaHour: number;
  /** Price of a GB of memory for an hour; 0 when memory is not priced. */
  readonly perGbHour: number;
  /** 0: exact timers. */
  readonly controlPeriodMicros: number;
}

/**
 * The mechanics every kind of environment shares: starting and removing replicas, placing a
 * task in a slot, ending it, and keeping the accounts. The rules (when to start, where to place,
 * when to remove) belong to the policies that extend this class.
 */
export abstract class Environment {
  readonly settings: EnvironmentSettings;
  readonly accounting: Accounting;
  protected readonly host: EnvironmentHost;
  private nextReplicaId = 1;

  constructor(
    settings: EnvironmentSettings,
    concurrency: number,
    host: EnvironmentHost,
    fleet: FleetCounter,
  ) {
    this.settings = settings;
    this.host = host;
    this.accounting = new Accounting(concurrency, fleet);
  }

  get name(): string {
    return this.settings.name;
  }

  /** Slots per replica. */
  get concurrency(): number {
    return this.accounting.concurrency;
  }

  /** True while the environment has replicas, i.e. while control ticks matter to it. */
  abstract get isAlive(): boolean;

  /** The policy as plain data, for summary.json. */
  abstract describePolicy(): Record<string, unknown>;

  /** A task arrives at `now`. */
  abstract arrive(task: Task, now: number): void;

  /** A task's work is done at `now`: its slot frees. */
  abstract finish(task: Task, now: number): void;

  /** A task fails or is cancelled at `now`: it leaves the queue, or frees its slot. */
  abstract abort(task: Task, now: number): void;

  /** Tasks waiting for a slot, in the order they will be placed. */
  abstract waitingTasks(): Iterable<Task>;

  /** A running parent starts (true) or stops (false) waiting for its children. */
  noteAwaitingChildren(_task: Task, _isAwaiting: boolean, _now: number): void {}

  /** Whether this environment is starved right now; reported once per episode. */
  detectStarvation(_now: number): StarvationEvent | null {
    return null;
  }

  /** A replica's cold start ends at `now`. */
  abstract becomeReady(replica: Replica, now: number): void;

  /** The periodic (or exact-timer) control step: scale-down, teardown, scale-up. */
  abstract control(now: number): void;

  /** Request a new replica: draw its cold start and schedule its ready event. */
  protected requestReplica(now: number): Replica {
    const replica = new Replica(this.nextReplicaId++, this, now);
    const coldStartSeconds = this.settings.coldStart.sample(this.settings.coldStartRng);
    this.accounting.recordReplicaRequested(now);
    this.host.scheduleReady(replica, now + Math.round(coldStartSeconds * 1e6));
    this.host.replicaChanged("requested", replica, now);
    return replica;
  }

  /** Mark a starting replica ready; its idle clock starts now. */
  protected markReady(replica: Replica, now: number): void {
    replica.state = ReplicaState.ready;
    replica.readyAt = now;
    replica.lastActivityAt = now;
    this.accounting.recordReplicaReady(now);
    this.host.replicaChanged("ready", replica, now);
  }

  protected removeReplica(replica: Replica, now: number, reason: RemovalReason): void {
    const wasStarting = replica.state === ReplicaState.starting;
    replica.state = ReplicaState.removed;
    this.accounting.recordReplicaRemoved(now, wasStarting, replica.running);
    this.host.replicaChanged("removed", replica, now, reason);
  }

  /** Put a task in a free slot of a ready replica and schedule the end of its work. */
  protected place(task: Task, replica: Replica, kind: StartKind, now: number): void {
    let overhead = this.settings.dispatchOverheadMicros;
    if (!replica.hasHadTask) {
      overhead += this.settings.firstTaskOverheadMicros;
      replica.hasHadTask = true;
    }

    this.accounting.recordSlotTaken(now, replica.running);
    task.state = TaskState.running;
    replica.running++;
    replica.lastActivityAt = now;
    task.replica = replica;
    task.kind = kind;
    task.placedAt = now;
    task.startAt = now + overhead;
    // The start (its kind and wait) is counted when the task's code has started: see workDone.
    this.host.scheduleCompletion(task, task.startAt + task.workMicros);
  }

  /** Free the task's slot; the replica's activity clock moves to now. */
  protected release(task: Task, now: number): Replica {
    const replica = task.replica as Replica;
    replica.running--;
    replica.lastActivityAt = now;
    this.accounting.recordSlotFreed(now, replica.running);
    return replica;
  }
}

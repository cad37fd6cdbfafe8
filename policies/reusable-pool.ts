import type { FleetCounter } from "../sim/accounting.js";
import {
  Environment,
  type EnvironmentHost,
  type EnvironmentSettings,
  type StarvationEvent,
  starvationReason,
} from "../sim/environment.js";
import { Fifo } from "../sim/fifo.js";
import { type Replica, ReplicaState } from "../sim/replica.js";
import { type Task, TaskState } from "../sim/task.js";
import { FreeSlots } from "./free-slots.js";
import type { ReusePolicy } from "./reuse-policy.js";

/**
 * A Flyte 2 reusable-container environment under a ReusePolicy: the rules of MODEL.md §2.
 *
 * Lazy creation on the first task; dispatch to the lowest-id ready replica with a free slot;
 * FIFO waiting; scale-up one replica at a time with starting replicas counted; scale-down of
 * idle replicas above min after scaledown_ttl, highest id first; teardown of the whole
 * environment after idle_ttl, regardless of min.
 */
export class ReusablePool extends Environment {
  readonly policy: ReusePolicy;
  private readonly minReplicas: number;
  private readonly maxReplicas: number;
  private readonly scaledownTtlMicros: number;
  private readonly idleTtlMicros: number;

  /** Starting and ready replicas, in id order. */
  private readonly replicas: Replica[] = [];
  private readonly freeSlots: FreeSlots;
  /** Waiting tasks in arrival order. A task that fails while waiting stays in the queue,
   * marked, until it reaches the head (lazy removal); `waitingCount` counts the live ones. */
  private readonly waiting = new Fifo<Task>();
  private waitingCount = 0;
  private running = 0;
  /** Running parents that wait for their children, for starvation detection. */
  private readonly awaitingParents = new Set<Task>();
  private isStarved = false;
  private alive = false;
  /** Latest activity on any replica of this incarnation; its creation time before any. */
  private lastActivityAt = 0;

  constructor(
    settings: EnvironmentSettings,
    policy: ReusePolicy,
    host: EnvironmentHost,
    fleet: FleetCounter,
  ) {
    super(settings, policy.concurrency, host, fleet);
    this.policy = policy;
    this.minReplicas = policy.minReplicas();
    this.maxReplicas = policy.maxReplicas();
    this.scaledownTtlMicros = Math.round(policy.getScaledownTtl() * 1e6);
    this.idleTtlMicros = Math.round(policy.getIdleTtl() * 1e6);
    this.freeSlots = new FreeSlots(this.replicas, policy.concurrency);
  }

  get isAlive(): boolean {
    return this.alive;
  }

  describePolicy(): Record<string, unknown> {
    return { kind: "reuse", ...this.policy.toJSON() };
  }

  arrive(task: Task, now: number): void {
    if (!this.alive) this.create(now);

    const replica = this.freeSlots.lowest();
    if (replica !== undefined && this.waitingCount === 0) {
      this.startTask(task, replica, "warm", now);
      return;
    }

    this.waiting.push(task);
    this.waitingCount++;
    this.accounting.recordWaiting(now, 1);
    this.scaleUp(now);
  }

  finish(task: Task, now: number): void {
    this.freeSlot(task, now);
  }

  abort(task: Task, now: number): void {
    if (task.state === TaskState.waiting) {
      task.state = TaskState.failed; // marked; the queue drops it when it reaches the head
      this.waitingCount--;
      this.accounting.recordWaiting(now, -1);
      this.noteIfEmpty(now);
      return;
    }
    this.awaitingParents.delete(task);
    this.freeSlot(task, now);
  }

  /** Live waiting tasks in queue order (failed ones are still in the queue, marked). */
  *waitingTasks(): Iterable<Task> {
    for (const task of this.waiting) if (task.state === TaskState.waiting) yield task;
  }

  override noteAwaitingChildren(task: Task, isAwaiting: boolean): void {
    if (isAwaiting) this.awaitingParents.add(task);
    else {
      this.awaitingParents.delete(task);
      this.isStarved = false;
    }
  }

  /**
   * Starved: all max x concurrency slots are held by parents waiting for children, and every
   * child they wait for is stuck here too: queued for a slot that cannot come, or itself one of
   * those parents (nesting deeper than one level). A child running, or in another environment,
   * may still end and let its parent go on, so that is not starvation. The engine asks when a
   * wave of children has arrived and when a child ends while its parent waits: the only moments
   * the state can begin (slots are counted at max, and a replica holding a parent is never
   * removed).
   */
  override detectStarvation(now: number): StarvationEvent | null {
    const slots = this.maxReplicas * this.concurrency;
    if (this.isStarved || this.awaitingParents.size < slots) return null;

    const parents = [...this.awaitingParents];
    if (!parents.every((parent) => this.isStuckHere(parent.children))) return null;

    const queuedChildren = (parent: Task): Task[] =>
      parent.children.filter((child) => child.state === TaskState.waiting);
    this.isStarved = true;
    return {
      at: now,
      env: this.name,
      slots,
      parents: parents.map((parent) => parent.id),
      children: parents.flatMap((parent) => queuedChildren(parent).map((child) => child.id)),
      reason: starvationReason(this.name, slots),
    };
  }

  /**
   * Whether every child has ended or is stuck here. NOTE: checked from the last child back, as
   * this runs each time a child ends: the latest wave is at the end, and queues serve it first to
   * last, so a child not yet ended is usually found at once, not after every one that has.
   */
  private isStuckHere(children: readonly Task[]): boolean {
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      const isStuck =
        child.hasEnded ||
        (child.env === this &&
          (child.state === TaskState.waiting || this.awaitingParents.has(child)));
      if (!isStuck) return false;
    }
    return true;
  }

  private freeSlot(task: Task, now: number): void {
    const replica = this.release(task, now);
    this.running--;
    this.lastActivityAt = now;
    this.freeSlots.update(replica);
    this.dispatchWaiting("queued", now);

    if (replica.running === 0) this.armTimer(replica.lastActivityAt + this.scaledownTtlMicros);
    this.noteIfEmpty(now);
  }

  /**
   * Nothing running or waiting: the teardown is due idle_ttl after the last activity. That is now
   * when a slot has just freed, but earlier when the last waiting task leaves at its timeout.
   */
  private noteIfEmpty(now: number): void {
    if (this.running === 0 && this.waitingCount === 0) {
      this.accounting.recordEmpty(now);
      this.armTimer(Math.max(now, this.lastActivityAt + this.idleTtlMicros));
    }
  }

  becomeReady(replica: Replica, now: number): void {
    if (replica.state !== ReplicaState.starting) return; // removed by a teardown while starting

    this.markReady(replica, now);
    this.lastActivityAt = now;
    this.freeSlots.update(replica);

    // Waiting tasks take the new replica's slots: they waited for it, so they start cold.
    while (this.waitingCount > 0 && replica.running < this.concurrency) {
      this.takeWaiting(replica, "cold", now);
    }
    if (replica.running === 0) this.armTimer(now + this.scaledownTtlMicros);
    if (this.running === 0 && this.waitingCount === 0) this.armTimer(now + this.idleTtlMicros);
  }

  control(now: number): void {
    if (!this.alive) return;
    // Teardown first: an environment idle for idle_ttl goes whole, so with idle_ttl <=
    // scaledown_ttl no replica of a quiet environment is removed as a scale-down (MODEL.md §2.8).
    if (this.isIdleFor(now)) {
      this.teardown(now);
      return;
    }
    this.scaleDown(now);
    // MODEL.md §2.5 evaluates scale-up on every tick too. Under the rules as they stand it finds
    // nothing to do (every task that waits has already asked, and nothing shrinks the pool while
    // tasks wait), but the rule is the model's, so it stays for rules to come.
    this.scaleUp(now);
  }

  /** The first task of an incarnation creates the environment with max(1, min) replicas. */
  private create(now: number): void {
    this.alive = true;
    this.lastActivityAt = now;
    this.accounting.environmentCreations++;
    this.host.environmentChanged("created", this, now);
    for (let i = 0; i < Math.max(1, this.minReplicas); i++) this.addReplica(now);
    this.host.wakeTicks(now, this);
  }

  /** MODEL.md §2.5: fill up to min, else one more replica while demand exceeds the slots. */
  private scaleUp(now: number): void {
    const replicaCount = this.replicas.length;
    if (replicaCount < this.minReplicas) {
      for (let i = replicaCount; i < this.minReplicas; i++) this.addReplica(now);
      return;
    }
    const demand = this.running + this.waitingCount;
    if (replicaCount < this.maxReplicas && demand > replicaCount * this.concurrency) {
      this.addReplica(now);
    }
  }

  /** MODEL.md §2.7: remove idle replicas past scaledown_ttl, highest id first, down to min. */
  private scaleDown(now: number): void {
    const countBefore = this.replicas.length;
    for (let i = countBefore - 1; i >= 0 && this.replicas.length > this.minReplicas; i--) {
      const replica = this.replicas[i];
      const isExpired =
        replica.isReady &&
        replica.running === 0 &&
        now >= replica.lastActivityAt + this.scaledownTtlMicros;
      if (isExpired) {
        this.removeReplica(replica, now, "scaledown");
        this.replicas.splice(i, 1);
      }
    }
    if (this.replicas.length < countBefore) this.freeSlots.rebuild();
  }

  /** MODEL.md §2.8: nothing running or waiting, and no activity for idle_ttl. */
  private isIdleFor(now: number): boolean {
    return (
      this.running === 0 &&
      this.waitingCount === 0 &&
      now >= this.lastActivityAt + this.idleTtlMicros
    );
  }

  private teardown(now: number): void {
    while (this.waiting.size > 0) this.waiting.shift(); // only failed tasks can be left here
    for (const replica of this.replicas) this.removeReplica(replica, now, "teardown");
    this.replicas.length = 0;
    this.freeSlots.rebuild();
    this.alive = false;
    this.accounting.recordTeardown(now);
    this.host.environmentChanged("torn-down", this, now);
  }

  private addReplica(now: number): void {
    const replica = this.requestReplica(now);
    this.replicas.push(replica);
    this.freeSlots.add(replica);
  }

  private dispatchWaiting(kind: "queued" | "cold", now: number): void {
    while (this.waitingCount > 0) {
      const replica = this.freeSlots.lowest();
      if (replica === undefined) return;
      this.takeWaiting(replica, kind, now);
    }
  }

  private takeWaiting(replica: Replica, kind: "queued" | "cold", now: number): void {
    let task = this.waiting.shift() as Task;
    while (task.state !== TaskState.waiting) task = this.waiting.shift() as Task;
    this.waitingCount--;
    this.accounting.recordWaiting(now, -1);
    this.startTask(task, replica, kind, now);
  }

  private startTask(task: Task, replica: Replica, kind: Task["kind"], now: number): void {
    this.place(task, replica, kind, now);
    this.freeSlots.update(replica);
    this.running++;
    this.lastActivityAt = now;
  }

  /** With exact timers, make sure a control step runs at `at`; ticks cover it otherwise. */
  private armTimer(at: number): void {
    if (this.settings.controlPeriodMicros === 0) this.host.scheduleControl(this, at);
  }
}

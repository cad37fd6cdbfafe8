import { NoReuse } from "../policies/no-reuse.js";
import { ReusablePool } from "../policies/reusable-pool.js";
import { openWorkloads } from "../workloads/open.js";
import type { ArrivalSource, TaskArrival } from "../workloads/source.js";
import { traceMessages } from "../workloads/trace-messages.js";
import type { FleetCounter } from "./accounting.js";
import type {
  Environment,
  EnvironmentHost,
  EnvironmentSettings,
  StarvationEvent,
} from "./environment.js";
import { isReservedName } from "./environment-names.js";
import { EnvironmentTemplates } from "./environment-templates.js";
import { UserError, quote } from "./errors.js";
import { EventQueue, Priority, type PriorityValue } from "./event-queue.js";
import { Fifo } from "./fifo.js";
import { type Logger, silentLogger } from "./logger.js";
import { RandomStreams } from "./random.js";
import type { EnvironmentEvent, RemovalReason, ReplicaEvent } from "./lifecycle.js";
import { type Replica, ReplicaState } from "./replica.js";
import type { EnvironmentSpec, Scenario } from "./scenario.js";
import { type Summary, summarise } from "./summary.js";
import { type ChildSpec, type HasId, Task, TaskState } from "./task.js";
import { Timeline, type TimelineRow } from "./timeline.js";

/** Where per-task rows and timeline rows go while a run streams them out. */
export interface SimulationOptions {
  logger?: Logger;
  /** Called once per task when it ends (or, unfinished, when the run ends). */
  onTaskEnd?: (task: Task) => void;
  onTimelineRow?: (row: TimelineRow) => void;
  /** Awaited between batches of arrivals: lets a slow writer catch up (backpressure). */
  waitForOutput?: () => Promise<void>;
  /** Progress: simulated time reached, in seconds. */
  onProgress?: (simulatedSeconds: number) => void;
  /** Every replica requested, ready or removed, as it happens: for checks and debugging. */
  onReplicaEvent?: (event: ReplicaEvent) => void;
  /** Every reusable environment created or torn down, as it happens: for checks and debugging. */
  onEnvironmentEvent?: (event: EnvironmentEvent) => void;
  /** Called once at the end with counts about the run itself (for benchmarks). */
  onFinish?: (stats: RunStats) => void;
  /** The most tasks in flight at once before the run stops as overloaded (see below). */
  maxTasksInFlight?: number;
}

/**
 * Tasks arrived and not yet ended that a run holds before it stops with an error: a pool that
 * cannot keep up queues without bound, and a clear message beats running out of memory. At a
 * few hundred bytes a task this is about a gigabyte.
 */
export const MAX_TASKS_IN_FLIGHT = 4_000_000;

/** Counts about a run, as opposed to the model's results in the summary. */
export interface RunStats {
  /**
   * Events the engine handled: arrivals, task completions, replicas becoming ready, timeouts and
   * control steps. Timeline cuts and events that find nothing left to act on (see isVoid) are
   * not counted.
   */
  events: number;
}

/** A workload's place in the merge of all arrival streams. */
interface Cursor {
  source: ArrivalSource;
  batch: readonly TaskArrival[];
  index: number;
  /** Time of the next arrival, batch[index]. */
  nextAt: number;
  /** When that arrival was scheduled, among all arrivals: orders arrivals at the same instant. */
  order: number;
  /**
   * The environment of this workload's last arrival. NOTE: most workloads send every task to one
   * environment, and comparing a name with the last one is cheaper than a lookup by name.
   */
  lastEnv: Environment | null;
}

type Payload = Task | Replica | Cursor | Environment | null;

/** Why the event loop must await before it goes on: a batch of arrivals to read, or a writer. */
type Blocker =
  | { kind: "input"; cursor: Cursor }
  | { kind: "pause" }
  | { kind: "output"; at: number; priority: PriorityValue; payload: Payload; isArrival: boolean };

type FailState = typeof TaskState.failed | typeof TaskState.cancelled;
type EndState = typeof TaskState.completed | FailState;

/** Timeline steps cut in a row before the output is given a chance to catch up. */
const CUTS_BETWEEN_WAITS = 1024;

/**
 * Events handled in a row before the output (and the process: Ctrl-C, progress) is given a
 * chance to catch up, however long a batch of arrivals lasts: a run of sparse arrivals and a
 * short control period is millions of control steps between two batches.
 */
const EVENTS_BETWEEN_WAITS = 1 << 16;

/** Starvation events warned about one by one per environment; the rest are counted. */
const WARNED_STARVATION_EVENTS = 3;

/** How many stuck task ids a starvation or stall report lists before it just counts. */
const REPORTED_IDS = 20;

/**
 * Run a scenario to its end and return its summary. Pure: everything a run uses lives in this
 * call (clock, event queue, random streams), so runs can go side by side.
 */
export async function simulate(
  scenario: Scenario,
  options: SimulationOptions = {},
): Promise<Summary> {
  return new Simulation(scenario, options).run();
}

class Simulation implements EnvironmentHost {
  private readonly scenario: Scenario;
  private readonly options: SimulationOptions;
  private readonly logger: Logger;
  private readonly queue = new EventQueue<Payload>();
  private readonly streams: RandomStreams;
  private readonly fleet: FleetCounter = { live: 0, peak: 0 };
  private readonly environments = new Map<string, Environment>();
  private readonly templates: EnvironmentTemplates;
  /** Environments with replicas, in creation order: the ones a control tick visits. */
  private readonly ticking: Environment[] = [];
  private readonly isTicking = new Set<Environment>();
  private readonly creationOrder = new Map<Environment, number>();
  private sources: ArrivalSource[] = [];
  private readonly starvation = new Map<string, StarvationEvent[]>();
  private readonly controlPeriodMicros: number;
  private readonly timeline: Timeline;
  private now = 0;
  private lastEventAt = 0;
  /** The last event that was not a control step: when a task or replica last moved. */
  private lastModelEventAt = 0;
  /** The next step boundary of the timeline not yet cut. */
  private nextCutAt: number;
  private cutsSinceWait = 0;
  private eventsSinceWait = 0;
  private isTickScheduled = false;
  private events = 0;
  /** Events of the model (not control steps) still in the queue. */
  private modelEvents = 0;
  /**
   * Workloads with an arrival to come, and the earliest of them. Arrivals are merged here rather
   * than in the event queue: the next one only has to be compared with the queue's first event.
   */
  private readonly cursors: Cursor[] = [];
  private nextCursor: Cursor | null = null;
  private arrivalsScheduled = 0;
  /**
   * When each launched child still in the event queue was scheduled, among all arrivals, in the
   * order they arrive: a workload's arrival at the same instant goes first if it was scheduled
   * first.
   */
  private readonly launchOrders = new Fifo<number>();
  private stalledAt = -1;
  /**
   * Tasks arrived and not yet ended. NOTE: only counted: a list of them cost a pointer write into
   * an older object per task; at the end, the tasks left are found where they wait (unfinished).
   */
  private inFlightCount = 0;
  /** Parents waiting for their children, in the order they began to wait. */
  private readonly awaitingParents = new Set<Task>();
  private readonly maxInFlight: number;

  constructor(scenario: Scenario, options: SimulationOptions) {
    this.scenario = scenario;
    this.options = options;
    this.logger = options.logger ?? silentLogger;
    this.maxInFlight = options.maxTasksInFlight ?? MAX_TASKS_IN_FLIGHT;
    this.streams = new RandomStreams(scenario.seed);
    this.controlPeriodMicros = Math.round(scenario.controlPeriodSeconds * 1e6);
    this.timeline = new Timeline(
      Math.max(1, Math.round(scenario.timelineStepSeconds * 1e6)),
      options.onTimelineRow ?? (() => {}),
    );
    this.nextCutAt = this.timeline.stepMicros;
    this.templates = new EnvironmentTemplates(scenario);
    for (const spec of scenario.environments) this.addEnvironment(spec);
  }

  async run(): Promise<Summary> {
    const sources = openWorkloads(this.scenario, this.streams, this.logger);
    this.sources = sources;
    try {
      for (const source of sources) {
        const cursor: Cursor = {
          source,
          batch: [],
          index: 0,
          nextAt: 0,
          order: 0,
          lastEnv: null,
        };
        this.cursors.push(cursor);
        await this.advanceCursor(cursor);
      }
      await this.loop();
    } finally {
      await Promise.all(sources.map((source) => source.close()));
    }
    return this.finish();
  }

  /**
   * The event loop. NOTE: events are taken and handled by step(), a plain function that runs
   * until the run ends or it must wait for input (a new batch of arrivals) or output (a slow
   * writer); only then does this loop await. An await inside the per-event loop made every event
   * pay for the async function's frame.
   */
  private async loop(): Promise<void> {
    for (let blocker = this.step(); blocker !== null; blocker = this.step()) {
      await this.unblock(blocker);
    }
  }

  /** Take and handle events until one needs an await first, or until none is left. */
  private step(): Blocker | null {
    for (;;) {
      const cursor = this.nextCursor;
      const isArrival = cursor !== null && this.isBeforeQueue(cursor.nextAt, cursor.order);
      if (!isArrival && this.queue.size === 0) return null;

      const at = isArrival ? (cursor as Cursor).nextAt : this.queue.peekTime();
      const priority = isArrival ? Priority.arrival : this.queue.peekPriority();
      const payload = isArrival ? cursor : this.queue.pop();
      if (!isArrival && priority !== Priority.control) this.modelEvents--;
      if (isVoid(priority, payload)) continue;
      if (at >= this.nextCutAt && !this.cutTimelineWithoutWaiting(at)) {
        return { kind: "output", at, priority, payload, isArrival };
      }
      const blocker = this.handle(priority, payload, at, isArrival);
      if (blocker !== null) return blocker;
      if (++this.eventsSinceWait === EVENTS_BETWEEN_WAITS) {
        this.eventsSinceWait = 0;
        if (this.options.waitForOutput !== undefined) return { kind: "pause" };
      }
    }
  }

  /** Wait for what the blocker needs, then finish what step() left off. */
  private async unblock(blocker: Blocker): Promise<void> {
    if (blocker.kind === "input") {
      await this.advanceCursor(blocker.cursor);
      return;
    }
    if (blocker.kind === "pause") {
      await (this.options.waitForOutput as () => Promise<void>)();
      this.options.onProgress?.(this.now / 1e6);
      return;
    }
    await this.cutTimelineUpTo(blocker.at);
    const next = this.handle(blocker.priority, blocker.payload, blocker.at, blocker.isArrival);
    if (next !== null) await this.unblock(next);
  }

  /**
   * Handle one event at `at`: from a workload's cursor (isArrival) or from the queue. A cursor
   * whose batch is used up must be refilled before more.
   */
  private handle(
    priority: PriorityValue,
    payload: Payload,
    at: number,
    isArrival: boolean,
  ): Blocker | null {
    this.now = at;
    let blocker: Blocker | null = null;
    switch (priority) {
      case Priority.completion:
        this.workDone(payload as Task, at);
        break;
      case Priority.replicaReady:
        (payload as Replica).env.becomeReady(payload as Replica, at);
        break;
      case Priority.arrival: {
        if (!isArrival) {
          this.arriveLaunched(payload as Task, at);
          break;
        }
        const cursor = payload as Cursor;
        this.arrive(cursor, at);
        if (cursor.index < cursor.batch.length) this.scheduleArrival(cursor);
        else blocker = { kind: "input", cursor };
        break;
      }
      case Priority.timeout:
        this.timeout(payload as Task, at);
        break;
      case Priority.control:
        if (payload === null) this.tick(at);
        else {
          (payload as Environment).control(at);
          if (this.isStalled()) this.noteStall();
        }
        break;
    }
    this.events++;
    this.lastEventAt = at;
    if (priority !== Priority.control) this.lastModelEventAt = at;
    return blocker;
  }

  /**
   * Whether a workload's arrival at `at`, scheduled `order`-th, comes before the queue's first
   * event (MODEL.md §2.10). The queue's arrivals are launched children: the one scheduled first
   * goes first.
   */
  private isBeforeQueue(at: number, order: number): boolean {
    if (this.queue.size === 0) return true;
    const queueAt = this.queue.peekTime();
    return at < queueAt || (at === queueAt && this.isBeforeQueueHead(order));
  }

  /** Whether a workload's arrival comes before the queue's first event at the same instant. */
  private isBeforeQueueHead(order: number): boolean {
    const priority = this.queue.peekPriority();
    if (priority !== Priority.arrival) return priority > Priority.arrival;
    return order < (this.launchOrders.peek() as number);
  }

  // Arrivals

  private arrive(cursor: Cursor, at: number): void {
    const arrival = cursor.batch[cursor.index++];
    let env = cursor.lastEnv;
    if (env === null || env.name !== arrival.env) {
      env =
        this.environments.get(arrival.env) ??
        this.createEnvironment(arrival.env, arrival, cursor.source.label);
      cursor.lastEnv = env;
    }
    const task = new Task(arrival, env, at, arrival.workMicros, null, arrival.fanout ?? null);
    this.admit(task, arrival.timeoutMicros ?? 0, at);
  }

  /** A task enters the system: tracked in flight, given its deadline, handed to its env. */
  private admit(task: Task, timeoutMicros: number, at: number): void {
    if (++this.inFlightCount > this.maxInFlight) throw this.overloaded();
    if (timeoutMicros > 0) this.push(at + timeoutMicros, Priority.timeout, task);
    task.env.accounting.recordArrival();
    task.env.arrive(task, at);
  }

  /** Read the cursor's next batch, then schedule its first arrival. */
  private async advanceCursor(cursor: Cursor): Promise<void> {
    if (this.options.waitForOutput !== undefined) await this.options.waitForOutput();
    this.options.onProgress?.(this.now / 1e6);
    const batch = await cursor.source.next();
    if (batch === null) {
      this.cursors.splice(this.cursors.indexOf(cursor), 1);
      this.pickNextCursor();
      return;
    }
    cursor.batch = batch;
    cursor.index = 0;
    this.scheduleArrival(cursor);
  }

  private scheduleArrival(cursor: Cursor): void {
    const next = cursor.batch[cursor.index];
    if (next.arrivalAt < this.now) {
      throw new UserError(
        "BAD_TRACE",
        `${cursor.source.label}: task ${quote(next.id)} arrives at ${next.arrivalAt / 1e6} s, before the previous one (${this.now / 1e6} s); arrivals must be in time order`,
      );
    }
    cursor.nextAt = next.arrivalAt;
    cursor.order = this.arrivalsScheduled++;
    this.pickNextCursor();
  }

  /** The cursor whose arrival comes first: earliest, then scheduled first. */
  private pickNextCursor(): void {
    let next: Cursor | null = null;
    for (const cursor of this.cursors) {
      const isEarlier =
        next === null ||
        cursor.nextAt < next.nextAt ||
        (cursor.nextAt === next.nextAt && cursor.order < next.order);
      if (isEarlier) next = cursor;
    }
    this.nextCursor = next;
  }

  /**
   * The environment named by a task, which the scenario does not declare: created from its
   * template the first time a task names it, so environments are created in the order of their
   * first task, the same order on every run.
   *
   * NOTE: callers look the name up first and pass the task itself, not its id: a synthetic
   * task's id is text built when read, and most runs never need it.
   */
  private createEnvironment(name: string, task: HasId, label: string): Environment {
    if (isReservedName(name)) {
      throw new UserError("BAD_TRACE", traceMessages.reservedTaskEnvironment(label, task.id, name));
    }
    const template = this.templates.templateFor(name);
    if (template !== undefined) return this.addEnvironment({ ...template, name });

    const known = [...this.environments.keys()];
    const shown = known.length > 10 ? [...known.slice(0, 10), "..."] : known;
    throw new UserError(
      "BAD_TRACE",
      `${label}: task ${quote(task.id)} names environment ${quote(name)}, which the scenario does not define (defined: ${shown.join(", ")}), and there is no default environment or pattern to create it from`,
    );
  }

  // A task's life after it starts

  /** A task's current stretch of work has ended: its setup, or its tail, or all of it. */
  private workDone(task: Task, at: number): void {
    if (task.hasEnded) return; // it failed while running: this completion is void

    if (task.state === TaskState.running) {
      recordStart(task);
      if (task.fanout !== null) {
        this.launchWave(task, at);
        return;
      }
    }
    task.env.finish(task, at);
    this.end(task, TaskState.completed, at);
  }

  /** Launch the parent's next wave of children; the parent keeps its slot meanwhile. */
  private launchWave(parent: Task, at: number): void {
    const fanout = parent.fanout as NonNullable<Task["fanout"]>;
    if (parent.wave >= fanout.waves) {
      this.startTail(parent, at);
      return;
    }

    const specs = fanout.launch(parent, parent.wave++);
    if (parent.state === TaskState.running) {
      parent.env.noteAwaitingChildren(parent, true, at);
      this.awaitingParents.add(parent);
    }
    parent.state = TaskState.awaitingChildren;
    parent.pendingChildren = specs.length;
    if (specs.length === 0) {
      this.launchWave(parent, at);
      return;
    }

    for (const spec of specs) {
      const child = this.makeChild(parent, spec);
      parent.addChild(child);
      this.launch(child, spec.timeoutMicros, at);
    }
  }

  /**
   * A child launched at `at` arrives at `at` as any task does (MODEL.md §2.10): after the
   * completions and the replicas becoming ready at that instant, and after the arrivals scheduled
   * before it. It is in flight, and its deadline runs, from its launch.
   */
  private launch(child: Task, timeoutMicros: number, at: number): void {
    if (++this.inFlightCount > this.maxInFlight) throw this.overloaded();
    if (timeoutMicros > 0) this.push(at + timeoutMicros, Priority.timeout, child);
    this.launchOrders.push(this.arrivalsScheduled++);
    this.push(at, Priority.arrival, child);
  }

  /**
   * A launched child reaches its environment. Once the last child of its wave has, the parent's
   * environment may be starved: every slot held by parents whose children queue there.
   */
  private arriveLaunched(child: Task, at: number): void {
    this.launchOrders.shift();
    child.env.accounting.recordArrival();
    child.env.arrive(child, at);

    const parent = child.parent as Task;
    const children = parent.children;
    if (child === children[children.length - 1]) {
      this.reportStarvation(parent.env.detectStarvation(at));
    }
  }

  private makeChild(parent: Task, spec: ChildSpec): Task {
    const env =
      this.environments.get(spec.env) ??
      this.createEnvironment(spec.env, spec, `children of task ${quote(parent.id)}`);
    return new Task(spec, env, this.now, spec.workMicros, parent, spec.fanout);
  }

  private startTail(parent: Task, at: number): void {
    parent.env.noteAwaitingChildren(parent, false, at);
    this.awaitingParents.delete(parent);
    parent.state = TaskState.tail;
    const fanout = parent.fanout as NonNullable<Task["fanout"]>;
    this.push(at + fanout.tailMicros(parent), Priority.completion, parent);
  }

  /** A task has ended one way or another: count it, let its parent know. */
  private end(task: Task, state: EndState, at: number): void {
    task.state = state;
    task.endAt = at;
    const accounting = task.env.accounting;
    if (state === TaskState.completed) accounting.recordCompletion();
    else {
      accounting.failed++;
      if (state === TaskState.cancelled) accounting.cancelled++;
      if (task.startAt < 0) accounting.failedWaiting++; // its own code never started
    }
    this.inFlightCount--;
    this.options.onTaskEnd?.(task);

    const parent = task.parent;
    if (parent !== null && parent.state === TaskState.awaitingChildren) {
      if (--parent.pendingChildren === 0) this.launchWave(parent, at);
      // The parent still waits: if the children left are all queued behind it, it is stuck.
      else this.reportStarvation(parent.env.detectStarvation(at));
    }
  }

  private timeout(task: Task, at: number): void {
    if (!task.hasEnded) this.fail(task, TaskState.failed, at);
  }

  /**
   * Fail a task and cancel its unfinished descendants, all at the same instant. The whole
   * subtree leaves together: its waiting tasks leave their queues before any of its slots frees,
   * so a freed slot never goes to a task that is being cancelled, and no parent in the subtree
   * moves on to its next wave or its tail.
   */
  private fail(task: Task, state: FailState, at: number): void {
    const subtree = unfinishedSubtree(task);
    for (const member of subtree) {
      if (member.state === TaskState.awaitingChildren) {
        member.env.noteAwaitingChildren(member, false, at);
        this.awaitingParents.delete(member);
      }
      // Placed, but still in its dispatch or first-task overhead: its code never started.
      if (member.state === TaskState.running) {
        if (member.startAt <= at) recordStart(member);
        else member.startAt = -1;
      }
    }

    const waiting = subtree.filter((member) => member.state === TaskState.waiting);
    const holding = subtree.filter((member) => member.state !== TaskState.waiting);
    for (const member of waiting) member.env.abort(member, at);
    for (const member of subtree) member.state = member === task ? state : TaskState.cancelled;
    for (const member of holding) member.env.abort(member, at);

    for (const member of subtree) this.end(member, member.state as FailState, at);
  }

  private reportStarvation(event: StarvationEvent | null): void {
    if (event === null) return;
    const list = this.starvation.get(event.env) ?? [];
    list.push(event);
    this.starvation.set(event.env, list);
    if (list.length > WARNED_STARVATION_EVENTS) return; // the rest are counted at the end
    this.logger.warn(
      `starvation in environment ${quote(event.env)} at ${event.at / 1e6} s: ${event.reason}. Stuck: parents ${listIds(event.parents)}; children ${listIds(event.children)}. Nothing there moves until a timeout fails the parents; without a timeout the run stalls and these tasks are reported unfinished.`,
    );
  }

  // Control and the end of the run

  /** A control tick at a multiple of the period: every live environment takes its step. */
  private tick(at: number): void {
    this.isTickScheduled = false;
    this.controlTicking(at);

    // A stalled run ticks on only while some environment without stuck tasks is still up: it
    // is torn down in its own time, so its idle tail and cost are counted in full.
    if (this.isStalled()) {
      this.noteStall();
      if (!this.ticking.some(isEmptyOfTasks)) return;
    }
    if (this.anyAlive()) this.scheduleTick(at + this.controlPeriodMicros);
  }

  /** Tasks in flight, and nothing left to happen but control steps: they can never finish. */
  private isStalled(): boolean {
    return this.modelEvents === 0 && this.nextCursor === null && this.inFlightCount > 0;
  }

  /** Report the stall once, as of the last time a task or replica moved. */
  private noteStall(): void {
    if (this.stalledAt >= 0) return;
    this.stalledAt = this.lastModelEventAt;
    const ids: string[] = [];
    for (const task of this.unfinishedTasks()) ids.push(task.id);
    this.logger.warn(
      `the run stalled at ${this.stalledAt / 1e6} s: ${ids.length} tasks can never finish (${listIds(ids)}); they are reported as unfinished`,
    );
  }

  /**
   * Cut the timeline at every step boundary up to `at`, before the events at `at` are handled:
   * a row covers [time, time + step), so an event on a boundary counts in the step it starts.
   * Done lazily, before the first event at or past a boundary, so no step is cut past the run's
   * last event (finish() cuts the last, partial step).
   */
  private async cutTimelineUpTo(at: number): Promise<void> {
    while (!this.cutTimelineWithoutWaiting(at)) {
      this.cutsSinceWait = 0;
      await (this.options.waitForOutput as () => Promise<void>)();
    }
  }

  /**
   * Cut as cutTimelineUpTo does, but stop (false) when the output must be given a chance to
   * catch up first: once arrivals have stopped, only this lets a slow writer keep up with the
   * rows of a long idle tail.
   */
  private cutTimelineWithoutWaiting(at: number): boolean {
    const isWaiting = this.options.waitForOutput !== undefined;
    while (this.nextCutAt <= at) {
      if (isWaiting && this.cutsSinceWait === CUTS_BETWEEN_WAITS) return false;
      this.timeline.cut(this.nextCutAt);
      this.nextCutAt += this.timeline.stepMicros;
      this.cutsSinceWait++;
    }
    return true;
  }

  private finish(): Summary {
    // With exact timers, a stalled run's queue simply runs dry.
    if (this.inFlightCount > 0) this.noteStall();
    const endAt = this.lastEventAt;
    for (const [env, events] of this.starvation) {
      if (events.length > WARNED_STARVATION_EVENTS) {
        this.logger.warn(
          `environment ${quote(env)} starved ${events.length} times in all; summary.json lists every event`,
        );
      }
    }
    this.timeline.cut(endAt);
    for (const task of this.unfinishedTasks()) {
      this.options.onTaskEnd?.(task);
    }

    const unpriced: string[] = [];
    const sources = [...this.environments.values()].map((env) => ({
      name: env.name,
      accounting: env.accounting,
      policy: env.describePolicy(),
      perReplicaHour: this.priceOf(env, unpriced),
      starvation: (this.starvation.get(env.name) ?? []).map((event) => ({
        ...event,
        at: event.at / 1e6,
      })),
    }));
    if (unpriced.length > 0) this.logger.warn(unpricedMemoryMessage(unpriced));
    for (const source of sources) source.accounting.advance(endAt);
    this.options.onFinish?.({ events: this.events });
    return summarise(this.scenario.name, this.scenario.seed, endAt, sources, this.fleet.peak, {
      stalledAt: this.stalledAt < 0 ? null : this.stalledAt / 1e6,
    });
  }

  /**
   * The price of a replica-hour, its memory priced when a trace gave the memory; the names of
   * environments priced by memory whose memory no trace gave go to `unpriced`.
   */
  private priceOf(env: Environment, unpriced: string[]): number {
    const { perReplicaHour, perGbHour, name } = env.settings;
    if (perGbHour === 0) return perReplicaHour;

    for (const source of this.sources) {
      const memoryMb = source.memoryMbOf?.(name);
      if (memoryMb !== undefined) return perReplicaHour + (perGbHour * memoryMb) / 1024;
    }
    unpriced.push(name);
    return perReplicaHour;
  }

  /**
   * Every environment with replicas takes its control step, in creation order; one torn down
   * leaves the list. NOTE: visiting only these keeps a tick cheap in a replay with thousands of
   * environments, most of them without replicas at any moment.
   */
  private controlTicking(at: number): void {
    let kept = 0;
    for (const env of this.ticking) {
      env.control(at);
      if (env.isAlive) this.ticking[kept++] = env;
      else this.isTicking.delete(env);
    }
    this.ticking.length = kept;
  }

  private anyAlive(): boolean {
    return this.ticking.length > 0;
  }

  private addEnvironment(spec: EnvironmentSpec): Environment {
    const settings: EnvironmentSettings = {
      name: spec.name,
      coldStart: spec.coldStart,
      coldStartRng: this.streams.stream(`environment/${spec.name}/coldStart`),
      firstTaskOverheadMicros: Math.round(spec.firstTaskOverheadSeconds * 1e6),
      dispatchOverheadMicros: Math.round(spec.dispatchOverheadSeconds * 1e6),
      perReplicaHour: spec.cost.perReplicaHour,
      perGbHour: spec.cost.perGbHour ?? 0,
      controlPeriodMicros: this.controlPeriodMicros,
    };
    const env =
      spec.policy === "none"
        ? new NoReuse(settings, this, this.fleet)
        : new ReusablePool(settings, spec.policy, this, this.fleet);
    this.environments.set(spec.name, env);
    this.creationOrder.set(env, this.creationOrder.size);
    this.timeline.track(spec.name, env.accounting);
    return env;
  }

  // The list of tasks in flight

  private overloaded(): UserError {
    let busiest: Environment | null = null;
    for (const env of this.environments.values()) {
      if (busiest === null || env.accounting.waitingTasks > busiest.accounting.waitingTasks) {
        busiest = env;
      }
    }
    const queue =
      busiest === null
        ? ""
        : ` (the longest queue: ${busiest.accounting.waitingTasks} tasks waiting in environment ${quote(busiest.name)})`;
    return new UserError(
      "OVERLOADED",
      `at ${this.now / 1e6} s, ${this.inFlightCount} tasks are in flight, more than the ${this.maxInFlight} a run holds: the pools cannot keep up with the arrivals${queue}; expected a load the pools can serve: raise max replicas or concurrency, or lower the arrival rate or load`,
    );
  }

  /**
   * The tasks in flight once nothing but control steps is left to happen: each one waits, for a
   * slot or for its children (a running task, or one waiting for a replica's cold start, still
   * has an event to come). In order of arrival; at the same instant, parents first, then by
   * environment in creation order and place in the queue.
   */
  private unfinishedTasks(): Task[] {
    const tasks = [...this.awaitingParents];
    for (const env of this.environments.values()) tasks.push(...env.waitingTasks());
    if (tasks.length !== this.inFlightCount) {
      throw new Error(`${this.inFlightCount} tasks in flight, but ${tasks.length} found waiting`);
    }
    return tasks.sort((a, b) => a.arrivalAt - b.arrivalAt);
  }

  // EnvironmentHost

  scheduleReady(replica: Replica, at: number): void {
    this.push(at, Priority.replicaReady, replica);
  }

  scheduleCompletion(task: Task, at: number): void {
    this.push(at, Priority.completion, task);
  }

  scheduleControl(environment: Environment, at: number): void {
    this.queue.push(at, Priority.control, environment);
  }

  wakeTicks(now: number, environment: Environment): void {
    if (this.controlPeriodMicros > 0 && !this.isTicking.has(environment)) {
      this.startTicking(environment);
    }
    if (this.controlPeriodMicros > 0 && !this.isTickScheduled) {
      const period = this.controlPeriodMicros;
      this.scheduleTick(Math.ceil(now / period) * period);
    }
  }

  /** Add to the ticking list at its place in creation order. */
  private startTicking(environment: Environment): void {
    const order = this.creationOrder.get(environment) as number;
    let index = this.ticking.length;
    while (index > 0 && (this.creationOrder.get(this.ticking[index - 1]) as number) > order)
      index--;
    this.ticking.splice(index, 0, environment);
    this.isTicking.add(environment);
  }

  replicaChanged(
    kind: ReplicaEvent["kind"],
    replica: Replica,
    at: number,
    reason?: RemovalReason,
  ): void {
    const report = this.options.onReplicaEvent;
    if (report === undefined) return;
    const event: ReplicaEvent = { kind, env: replica.env.name, replica, at };
    if (reason !== undefined) event.reason = reason;
    report(event);
  }

  environmentChanged(kind: EnvironmentEvent["kind"], environment: Environment, at: number): void {
    this.options.onEnvironmentEvent?.({ kind, env: environment.name, at });
  }

  private scheduleTick(at: number): void {
    this.isTickScheduled = true;
    this.queue.push(at, Priority.control, null);
  }

  /** Schedule an event of the model (control steps go straight to the queue). */
  private push(at: number, priority: PriorityValue, payload: Payload): void {
    this.modelEvents++;
    this.queue.push(at, priority, payload);
  }
}

/**
 * Count a task's start (its kind and its wait, arrival to the start of its code) once its code
 * has started: at the end of its work (or its setup), or when it fails after starting. A task
 * that fails during its dispatch or first-task overhead is not counted as started.
 */
function recordStart(task: Task): void {
  task.env.accounting.recordStart(task.kind, task.startAt - task.arrivalAt);
}

/** A task and its descendants that have not ended, parents before their children. */
function unfinishedSubtree(root: Task): Task[] {
  const subtree = [root];
  for (let i = 0; i < subtree.length; i++) {
    for (const child of subtree[i].children) if (!child.hasEnded) subtree.push(child);
  }
  return subtree;
}

/** Nothing running or waiting: an environment that a stall does not hold up. */
function isEmptyOfTasks(environment: Environment): boolean {
  const { busySlots, waitingTasks } = environment.accounting;
  return busySlots === 0 && waitingTasks === 0;
}

function listIds(ids: readonly string[]): string {
  const shown = ids.slice(0, REPORTED_IDS).join(", ");
  return ids.length > REPORTED_IDS ? `${shown} and ${ids.length - REPORTED_IDS} more` : shown;
}

function unpricedMemoryMessage(names: readonly string[]): string {
  const shown =
    names.length > 5
      ? [...names.slice(0, 5).map((n) => quote(n)), "..."]
      : names.map((n) => quote(n));
  return (
    `cost.perGbHour is set, but no trace gives the memory of environment${names.length === 1 ? "" : "s"} ` +
    `${shown.join(", ")}; only perReplicaHour is charged there`
  );
}

/**
 * An event that finds nothing to act on: the ready time of a replica removed while it was
 * starting, an exact timer of an environment torn down since it was armed, the completion or
 * deadline of a task that has already ended (failed, or cancelled). It must not count as the
 * run's last event: the run ended when the last thing happened.
 */
function isVoid(priority: number, payload: Payload): boolean {
  switch (priority) {
    case Priority.replicaReady:
      return (payload as Replica).state !== ReplicaState.starting;
    case Priority.control:
      return payload !== null && !(payload as Environment).isAlive;
    case Priority.completion:
    case Priority.timeout:
      return (payload as Task).hasEnded;
    default:
      return false;
  }
}

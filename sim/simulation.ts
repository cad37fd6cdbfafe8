import { NoReuse } from "../policies/no-reuse.js";
import { ReusablePool } from "../policies/reusable-pool.js";
import { openWorkloads } from "../workloads/open.js";
import type { ArrivalSource, TaskArrival } from "../workloads/source.js";
import type { FleetCounter } from "./accounting.js";
import type { Environment, EnvironmentHost, EnvironmentSettings } from "./environment.js";
import { UserError, quote } from "./errors.js";
import { EventQueue, Priority } from "./event-queue.js";
import { type Logger, silentLogger } from "./logger.js";
import { RandomStreams } from "./random.js";
import type { EnvironmentEvent, RemovalReason, ReplicaEvent } from "./lifecycle.js";
import { type Replica, ReplicaState } from "./replica.js";
import type { EnvironmentSpec, Scenario } from "./scenario.js";
import { type Summary, summarise } from "./summary.js";
import { Task } from "./task.js";
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
}

/** Counts about a run, as opposed to the model's results in the summary. */
export interface RunStats {
  /**
   * Events the engine handled: arrivals, task completions, replicas becoming ready and control
   * steps. Timeline cuts and events that find nothing left to act on (a timer of an environment
   * already torn down, the readiness of a replica removed while starting) are not counted.
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
}

type Payload = Task | Replica | Cursor | Environment | null;

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
  private readonly queue = new EventQueue<Payload>();
  private readonly streams: RandomStreams;
  private readonly fleet: FleetCounter = { live: 0, peak: 0 };
  private readonly environments = new Map<string, Environment>();
  private readonly controlPeriodMicros: number;
  private readonly timeline: Timeline;
  private now = 0;
  private lastEventAt = 0;
  /** The next step boundary of the timeline not yet cut. */
  private nextCutAt: number;
  private isTickScheduled = false;
  private events = 0;
  /**
   * Workloads with an arrival to come, and the earliest of them. Arrivals are merged here rather
   * than in the event queue: the next one only has to be compared with the queue's first event.
   */
  private readonly cursors: Cursor[] = [];
  private nextCursor: Cursor | null = null;
  private arrivalsScheduled = 0;

  constructor(scenario: Scenario, options: SimulationOptions) {
    this.scenario = scenario;
    this.options = options;
    this.streams = new RandomStreams(scenario.seed);
    this.controlPeriodMicros = Math.round(scenario.controlPeriodSeconds * 1e6);
    this.timeline = new Timeline(
      Math.max(1, Math.round(scenario.timelineStepSeconds * 1e6)),
      options.onTimelineRow ?? (() => {}),
    );
    this.nextCutAt = this.timeline.stepMicros;
    for (const spec of scenario.environments) this.addEnvironment(spec);
  }

  async run(): Promise<Summary> {
    const sources = openWorkloads(this.scenario, this.streams, this.options.logger ?? silentLogger);
    try {
      for (const source of sources) {
        const cursor: Cursor = { source, batch: [], index: 0, nextAt: 0, order: 0 };
        this.cursors.push(cursor);
        await this.advanceCursor(cursor);
      }
      await this.loop();
    } finally {
      await Promise.all(sources.map((source) => source.close()));
    }
    return this.finish();
  }

  private async loop(): Promise<void> {
    for (;;) {
      const cursor = this.nextCursor;
      const isArrival = cursor !== null && this.isBeforeQueue(cursor.nextAt);
      if (!isArrival && this.queue.size === 0) return;

      const at = isArrival ? (cursor as Cursor).nextAt : this.queue.peekTime();
      const priority = isArrival ? Priority.arrival : this.queue.peekPriority();
      const payload = isArrival ? cursor : this.queue.pop();
      if (isVoid(priority, payload)) continue;
      if (at > this.nextCutAt) this.cutTimelineBefore(at);
      this.now = at;

      switch (priority) {
        case Priority.completion: {
          const task = payload as Task;
          task.env.finish(task, at);
          break;
        }
        case Priority.replicaReady:
          (payload as Replica).env.becomeReady(payload as Replica, at);
          break;
        case Priority.arrival: {
          // Await only when a batch is used up: an await per task would cost a microtask each.
          const cursor = payload as Cursor;
          this.arrive(cursor, at);
          if (cursor.index < cursor.batch.length) this.scheduleArrival(cursor);
          else await this.advanceCursor(cursor);
          break;
        }
        case Priority.control:
          if (payload === null) this.tick(at);
          else (payload as Environment).control(at);
          break;
      }
      this.events++;
      this.lastEventAt = at;
    }
  }

  private arrive(cursor: Cursor, at: number): void {
    const arrival = cursor.batch[cursor.index++];
    const env = this.environmentOf(arrival, cursor.source);
    env.arrive(new Task(arrival, env, at, arrival.workMicros), at);
  }

  /** Whether an arrival at `at` comes before the queue's first event (MODEL.md §2.10). */
  private isBeforeQueue(at: number): boolean {
    if (this.queue.size === 0) return true;
    const queueAt = this.queue.peekTime();
    return at < queueAt || (at === queueAt && this.queue.peekPriority() > Priority.arrival);
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
    const nextAt = cursor.batch[cursor.index].arrivalAt;
    if (nextAt < this.now) {
      throw new UserError(
        "BAD_TRACE",
        `${cursor.source.label}: task ${quote(cursor.batch[cursor.index].id)} arrives at ${nextAt / 1e6} s, before the previous one (${this.now / 1e6} s); arrivals must be in time order`,
      );
    }
    cursor.nextAt = nextAt;
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

  private environmentOf(arrival: TaskArrival, source: ArrivalSource): Environment {
    const env = this.environments.get(arrival.env);
    if (env !== undefined) return env;
    const known = [...this.environments.keys()].join(", ");
    throw new UserError(
      "BAD_TRACE",
      `${source.label}: task ${quote(arrival.id)} names environment ${quote(arrival.env)}, which the scenario does not define; defined: ${known}`,
    );
  }

  /** A control tick at a multiple of the period: every live environment takes its step. */
  private tick(at: number): void {
    this.isTickScheduled = false;
    for (const env of this.environments.values()) env.control(at);
    if (this.anyAlive()) this.scheduleTick(at + this.controlPeriodMicros);
  }

  /**
   * Cut the timeline at every step boundary before `at`. Called before the first event after a
   * boundary, so a cut sees every event at the boundary itself, and a run cuts no step past its
   * last event (finish() cuts the last, partial step).
   */
  private cutTimelineBefore(at: number): void {
    while (this.nextCutAt < at) {
      this.timeline.cut(this.nextCutAt);
      this.nextCutAt += this.timeline.stepMicros;
    }
  }

  private finish(): Summary {
    const endAt = this.lastEventAt;
    this.timeline.cut(endAt);
    // Every scheduled event has run, so a task still unfinished can only be waiting.
    for (const env of this.environments.values()) {
      for (const task of env.waitingTasks()) this.options.onTaskEnd?.(task);
    }

    const sources = [...this.environments.values()].map((env) => ({
      name: env.name,
      accounting: env.accounting,
      policy: env.describePolicy(),
      perReplicaHour: env.settings.perReplicaHour,
    }));
    for (const source of sources) source.accounting.advance(endAt);
    this.options.onFinish?.({ events: this.events });
    return summarise(this.scenario.name, this.scenario.seed, endAt, sources, this.fleet.peak);
  }

  private anyAlive(): boolean {
    for (const env of this.environments.values()) if (env.isAlive) return true;
    return false;
  }

  private addEnvironment(spec: EnvironmentSpec): void {
    const settings: EnvironmentSettings = {
      name: spec.name,
      coldStart: spec.coldStart,
      coldStartRng: this.streams.stream(`environment/${spec.name}/coldStart`),
      firstTaskOverheadMicros: Math.round(spec.firstTaskOverheadSeconds * 1e6),
      dispatchOverheadMicros: Math.round(spec.dispatchOverheadSeconds * 1e6),
      perReplicaHour: spec.cost.perReplicaHour,
      controlPeriodMicros: this.controlPeriodMicros,
    };
    const env =
      spec.policy === "none"
        ? new NoReuse(settings, this, this.fleet)
        : new ReusablePool(settings, spec.policy, this, this.fleet);
    this.environments.set(spec.name, env);
    this.timeline.track(spec.name, env.accounting);
  }

  // EnvironmentHost

  scheduleReady(replica: Replica, at: number): void {
    this.queue.push(at, Priority.replicaReady, replica);
  }

  scheduleCompletion(task: Task, at: number): void {
    this.queue.push(at, Priority.completion, task);
  }

  scheduleControl(environment: Environment, at: number): void {
    this.queue.push(at, Priority.control, environment);
  }

  wakeTicks(now: number): void {
    if (this.controlPeriodMicros > 0 && !this.isTickScheduled) {
      const period = this.controlPeriodMicros;
      this.scheduleTick(Math.ceil(now / period) * period);
    }
  }

  taskEnded(task: Task): void {
    this.options.onTaskEnd?.(task);
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
}

/**
 * An event that finds nothing to act on: the ready time of a replica that a teardown removed
 * while it was starting, or an exact timer of an environment torn down since it was armed. It
 * must not count as the run's last event: the run ended when the last thing happened.
 */
function isVoid(priority: number, payload: Payload): boolean {
  if (priority === Priority.replicaReady)
    return (payload as Replica).state !== ReplicaState.starting;
  if (priority === Priority.control && payload !== null) return !(payload as Environment).isAlive;
  return false;
}

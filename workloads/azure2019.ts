import type { Sampler } from "../sim/distributions.js";
import { isReservedName } from "../sim/environment-names.js";
import type { Rng } from "../sim/random.js";
import type { MemoryStat, MinuteSpread, TraceMapping } from "../sim/scenario.js";
import type { BadRows } from "./bad-rows.js";
import {
  appKeyText,
  type Azure2019Function,
  type DurationsTable,
  functionKeyText,
  type InvocationTable,
  readDurations,
  readInvocations,
  readMemory,
} from "./azure2019-tables.js";
import { EnvNamer, busiest } from "./env-names.js";
import { GrowableFloat64, GrowableUint32 } from "./growable.js";
import { MinuteOrder } from "./minute-order.js";
import { MINUTE_MICROS, scaledCount, spreadInMinute } from "./minute-spread.js";
import { NumberedArrival } from "./numbered-arrival.js";
import type { ArrivalSource, TaskArrival } from "./source.js";
import { traceMessages } from "./trace-messages.js";

const BATCH_SIZE = 4096;

export interface Azure2019Options {
  label: string;
  invocationsPath: string;
  durationsPath: string;
  /** null: no memory file. */
  memoryPath: string | null;
  memoryStat: MemoryStat;
  idPrefix: string;
  mapping?: TraceMapping;
  /** The environment's name when mapping.by is "all". */
  env?: string;
  top?: number;
  spread: MinuteSpread;
  load: number;
  fromMicros: number;
  toMicros: number;
  /** After the shift by -from, arrivals at or after this instant end the replay. */
  horizonMicros: number;
  /** A function's own streams, by its full key, so that dropping one never moves another. */
  arrivalRng: (functionKey: string) => Rng;
  durationRng: (functionKey: string) => Rng;
  /** Rounds the function's scaled counts up or down when the load is not whole. */
  loadRng: (functionKey: string) => Rng;
  /** One per file, so that messages name the file. */
  badRowsOf: (path: string) => BadRows;
}

/** What replay needs of one kept function. */
interface Replayed {
  env: string;
  duration: Sampler;
  arrivalRng: Rng;
  durationRng: Rng;
  loadRng: Rng;
}

/**
 * The Azure Functions 2019 trace: per-minute invocation counts of each function, with each
 * function's duration percentiles (and optionally its app's memory). Replay builds one minute at
 * a time: every kept function's arrivals for the minute are placed by the spread rule, given a
 * duration drawn from the function's percentiles, and sorted; the next minute is built only when
 * the engine has taken this one. Memory is the tables plus one minute of arrivals, whatever the
 * number of invocations.
 */
export class Azure2019Source implements ArrivalSource {
  readonly label: string;
  private readonly options: Azure2019Options;
  private table: InvocationTable | null = null;
  private replayed: (Replayed | null)[] = [];
  private readonly memoryByEnv = new Map<string, number>();
  private minute = 0;
  private lastMinute = 0;
  // The current minute's arrivals: offset, function and work per slot; the slots in time order.
  private readonly offsets = new GrowableFloat64();
  private readonly functionOfSlot = new GrowableUint32();
  private readonly workOfSlot = new GrowableFloat64();
  private readonly minuteOrder = new MinuteOrder();
  private order: Uint32Array = new Uint32Array(0);
  private minuteStart = 0;
  private position = 0;
  private emitted = 0;
  private isDone = false;

  constructor(options: Azure2019Options) {
    this.label = options.label;
    this.options = options;
  }

  async next(): Promise<readonly TaskArrival[] | null> {
    if (this.isDone) return null;
    if (this.table === null) await this.load();

    const batch: TaskArrival[] = [];
    while (batch.length < BATCH_SIZE && !this.isDone) {
      if (this.position === this.order.length) {
        if (this.minute > this.lastMinute) this.isDone = true;
        else this.buildMinute(this.minute++);
        continue;
      }
      this.emit(batch);
    }
    return batch.length > 0 ? batch : null;
  }

  memoryMbOf(env: string): number | undefined {
    return this.memoryByEnv.get(env);
  }

  async close(): Promise<void> {
    this.isDone = true;
  }

  private async load(): Promise<void> {
    const { options } = this;
    // One for the file, through both passes over its rows: the skipped count is one line.
    const invocationsBadRows = options.badRowsOf(options.invocationsPath);
    const table = await readInvocations(options.invocationsPath, invocationsBadRows);
    const durations = await readDurations(
      options.durationsPath,
      options.badRowsOf(options.durationsPath),
    );
    const memory =
      options.memoryPath === null
        ? null
        : await readMemory(
            options.memoryPath,
            options.memoryStat,
            options.badRowsOf(options.memoryPath),
          );

    this.table = table;
    this.replayed = this.keepFunctions(table, durations, memory, invocationsBadRows);
    this.minute = Math.floor(options.fromMicros / MINUTE_MICROS);
    const endMicros = Math.min(options.toMicros, options.fromMicros + options.horizonMicros);
    this.lastMinute = Math.min(table.minutes, Math.ceil(endMicros / MINUTE_MICROS)) - 1;
  }

  /**
   * The kept functions (top N, with durations), named, with their streams; null if dropped. A
   * function without durations is a bad row of invocations.csv: `badRows` is that file's, and
   * its count, with the rows readInvocations skipped, is reported here.
   */
  private keepFunctions(
    table: InvocationTable,
    durations: DurationsTable,
    memory: Map<string, number> | null,
    badRows: BadRows,
  ): (Replayed | null)[] {
    const { options } = this;
    const totals = new Map(table.functions.map((fn, index) => [index, fn.total]));
    const kept = options.top === undefined ? null : busiest(totals, options.top);
    const namer = new EnvNamer(options.mapping, options.env);

    const replayed = table.functions.map((fn, index) => {
      if (kept !== null && !kept.has(index)) return null;
      const key = functionKeyText(fn.owner, fn.app, fn.fn);
      const duration = durations.samplers.get(key);
      if (duration === undefined) {
        badRows.reject(fn.line, this.noDurationsMessage(fn, durations.skippedLines.get(key)));
        return null;
      }
      const env = namer.nameOf(fn);
      if (isReservedName(env)) {
        // Only a function's own hash can make one ("app-..." cannot; the rest is checked sooner).
        const column = { index: 3, name: "HashFunction" };
        badRows.reject(fn.line, traceMessages.reservedEnvironment(fn.fn, column, env), column);
        return null;
      }
      const megabytes = memory?.get(appKeyText(fn.owner, fn.app));
      if (megabytes !== undefined) {
        this.memoryByEnv.set(env, Math.max(this.memoryByEnv.get(env) ?? 0, megabytes));
      }
      return {
        env,
        duration,
        arrivalRng: options.arrivalRng(key),
        durationRng: options.durationRng(key),
        loadRng: options.loadRng(key),
      };
    });
    badRows.report();
    return replayed;
  }

  /** Why a function has no durations: no row, or only a bad one that was skipped. */
  private noDurationsMessage(fn: Azure2019Function, skippedLine: number | undefined): string {
    const name = fn.fn.slice(0, 12);
    if (skippedLine === undefined) return traceMessages.noDurations(name, fn.line);
    return traceMessages.durationsSkipped(name, fn.line, this.options.durationsPath, skippedLine);
  }

  /** Place every kept function's arrivals of the minute, draw their work, and sort them. */
  private buildMinute(minute: number): void {
    const { spread, load } = this.options;
    const invoked = (this.table as InvocationTable).byMinute[minute];
    this.offsets.clear();
    this.functionOfSlot.clear();
    this.workOfSlot.clear();

    for (let i = 0; i < invoked.functions.length; i++) {
      const index = invoked.functions[i];
      const fn = this.replayed[index];
      if (fn === null) continue;
      const count =
        spread === "poisson"
          ? invoked.counts[i] * load
          : scaledCount(invoked.counts[i], load, fn.loadRng);
      const first = this.offsets.length;
      spreadInMinute(spread, count, fn.arrivalRng, this.offsets);
      for (let slot = first; slot < this.offsets.length; slot++) {
        this.functionOfSlot.push(index);
        this.workOfSlot.push(Math.round(fn.duration.sample(fn.durationRng) * 1e6));
      }
    }

    this.order = this.minuteOrder.sort(this.offsets.view());
    this.position = 0;
    this.minuteStart = minute * MINUTE_MICROS;
  }

  /** Move the minute's next arrivals into the batch, within the window and the horizon. */
  private emit(batch: TaskArrival[]): void {
    const { fromMicros, toMicros, horizonMicros, idPrefix } = this.options;
    const endMicros = Math.min(toMicros, fromMicros + horizonMicros);

    for (; this.position < this.order.length && batch.length < BATCH_SIZE; this.position++) {
      const slot = this.order[this.position];
      const at = this.minuteStart + this.offsets.get(slot);
      if (at < fromMicros) continue;
      if (at >= endMicros) {
        this.isDone = true;
        return;
      }
      const fn = this.replayed[this.functionOfSlot.get(slot)] as Replayed;
      const workMicros = this.workOfSlot.get(slot);
      batch.push(
        new NumberedArrival(idPrefix, ++this.emitted, fn.env, at - fromMicros, workMicros, 0),
      );
    }
  }
}

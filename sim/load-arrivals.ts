import { parseDuration } from "./duration.js";
import { positiveDuration } from "./load-context.js";
import { messages, show } from "./scenario-messages.js";
import type { ArrivalProcessSpec } from "./scenario.js";
import { ARRIVAL_KEYS, MAX_RATE, type SyntheticWorkloadFile } from "./scenario-schema.js";
import { formatPath, type FieldPath, type ScenarioSource } from "./scenario-source.js";

type ArrivalsFile = SyntheticWorkloadFile["arrivals"];
type Key = Exclude<keyof ArrivalsFile, "process">;

const DAY_SECONDS = 86_400;
/** One tick of the clock. */
const MIN_INTERVAL_SECONDS = 1e-6;

/**
 * A workload's `arrivals`, checked against its process (the schema allows every process's keys
 * on every process) and resolved to seconds and tasks per second.
 */
export function resolveArrivals(
  arrivals: ArrivalsFile,
  path: FieldPath,
  source: ScenarioSource,
): ArrivalProcessSpec {
  checkKeys(arrivals, path, source);
  const at = (key: string): FieldPath => [...path, key];
  const seconds = (key: Key, fallback: number): number => {
    const value = arrivals[key];
    if (value === undefined) return fallback;
    return source.at(at(key), () => parseDuration(value, formatPath(at(key))));
  };

  switch (arrivals.process) {
    case "poisson":
      return { process: "poisson", rate: positiveRate(arrivals.rate, at("rate"), source) };
    case "bursty": {
      const state = (key: "on" | "off") => {
        const value = arrivals[key] as NonNullable<ArrivalsFile["on"]>;
        const meanSojournPath = [...at(key), "meanSojourn"];
        const meanSojournSeconds = positiveDuration(value.meanSojourn, meanSojournPath, source);
        return { rate: value.rate, meanSojournSeconds };
      };
      const [on, off] = [state("on"), state("off")];
      if (on.rate === 0 && off.rate === 0) {
        throw source.fail("BAD_SCENARIO", path, messages.someRate("on.rate and off.rate"));
      }
      return { process: "bursty", on, off };
    }
    case "diurnal":
      return resolveDiurnal(arrivals, path, source, seconds);
    case "periodic": {
      const everySeconds = positiveDuration(arrivals.every, at("every"), source);
      const batch = arrivals.batch ?? 1;
      checkPeriodicRate(everySeconds, batch, path, arrivals, source);
      const jitterSeconds = seconds("jitter", 0);
      if (jitterSeconds > everySeconds) {
        const message = messages.jitterTooLong(show(arrivals.jitter), everySeconds);
        throw source.fail("BAD_SCENARIO", at("jitter"), message);
      }
      const offsetSeconds = seconds("offset", 0);
      return {
        process: "periodic",
        everySeconds,
        batch,
        jitterSeconds,
        offsetSeconds,
      };
    }
    case "ramp": {
      const [fromRate, toRate] = [arrivals.from as number, arrivals.to as number];
      if (fromRate === 0 && toRate === 0) {
        throw source.fail("BAD_SCENARIO", path, messages.someRate("from and to"));
      }
      return {
        process: "ramp",
        fromRate,
        toRate,
        overSeconds: positiveDuration(arrivals.over, at("over"), source),
      };
    }
  }
}

function resolveDiurnal(
  arrivals: ArrivalsFile,
  path: FieldPath,
  source: ScenarioSource,
  seconds: (key: Key, fallback: number) => number,
): ArrivalProcessSpec {
  const periodSeconds =
    arrivals.period === undefined
      ? DAY_SECONDS
      : positiveDuration(arrivals.period, [...path, "period"], source);
  const profile = arrivals.profile;
  if (profile === undefined) {
    for (const key of ["rate", "amplitude"] as const) {
      if (arrivals[key] === undefined) {
        throw source.fail(
          "BAD_SCENARIO",
          path,
          messages.processNeeds("diurnal", `${key}" (or "profile`),
        );
      }
    }
    return {
      process: "diurnal",
      shape: "sinusoidal",
      rate: positiveRate(arrivals.rate, [...path, "rate"], source),
      amplitude: arrivals.amplitude as number,
      peakAtSeconds: seconds("peakAt", 0),
      periodSeconds,
    };
  }

  for (const key of ["rate", "amplitude", "peakAt"] as const) {
    if (arrivals[key] !== undefined) {
      throw source.fail(
        "BAD_SCENARIO",
        [...path, key],
        messages.processTakes("diurnal with a profile", key, [
          "profile",
          "interpolation",
          "period",
        ]),
      );
    }
  }
  const points = Object.entries(profile).map(([time, rate]) => {
    const pointPath = [...path, "profile", time];
    const atSeconds = source.at(pointPath, () =>
      parseDuration(/^\d+(\.\d+)?$/.test(time) ? Number(time) : time, formatPath(pointPath)),
    );
    if (atSeconds >= periodSeconds) {
      throw source.fail("BAD_SCENARIO", pointPath, messages.timeOfDay(show(time), periodSeconds));
    }
    return { atSeconds, rate };
  });
  points.sort((a, b) => a.atSeconds - b.atSeconds);
  if (points.length === 0 || points.every((point) => point.rate === 0)) {
    throw source.fail("BAD_SCENARIO", [...path, "profile"], messages.someRate("profile"));
  }
  return {
    process: "diurnal",
    shape: "piecewise",
    points,
    interpolation: arrivals.interpolation ?? "linear",
    periodSeconds,
  };
}

/**
 * Ticks at least a microsecond apart (a shorter interval would round to 0 on the clock, and every
 * tick would fall at the same instant), and at most MAX_RATE tasks a second in all.
 */
function checkPeriodicRate(
  everySeconds: number,
  batch: number,
  path: FieldPath,
  arrivals: ArrivalsFile,
  source: ScenarioSource,
): void {
  if (everySeconds < MIN_INTERVAL_SECONDS) {
    throw source.fail(
      "BAD_SCENARIO",
      [...path, "every"],
      messages.everyTooShort(show(arrivals.every)),
    );
  }
  if (batch / everySeconds > MAX_RATE) {
    const message = messages.periodicTooFast(batch, everySeconds, MAX_RATE);
    throw source.fail("BAD_SCENARIO", [...path, "batch"], message);
  }
}

function positiveRate(value: number | undefined, path: FieldPath, source: ScenarioSource): number {
  if (value === undefined || !(value > 0)) {
    throw source.fail("BAD_SCENARIO", path, messages.positiveRate(show(value)));
  }
  return value;
}

function checkKeys(arrivals: ArrivalsFile, path: FieldPath, source: ScenarioSource): void {
  const { required, optional } = ARRIVAL_KEYS[arrivals.process];
  const allowed = [...required, ...optional];
  for (const key of Object.keys(arrivals)) {
    if (key === "process" || (allowed as string[]).includes(key)) continue;
    const message = messages.processTakes(arrivals.process, key, allowed);
    throw source.fail("BAD_SCENARIO", [...path, key], message, true);
  }
  for (const key of required) {
    if (arrivals[key] === undefined) {
      throw source.fail("BAD_SCENARIO", path, messages.processNeeds(arrivals.process, key));
    }
  }
}

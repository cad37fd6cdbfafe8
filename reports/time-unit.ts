import { roundMicros } from "../sim/summary.js";

/** The unit a chart's time axis counts in, chosen so a run's length reads as a small number. */
export interface TimeUnit {
  /** As written after numbers and in axis titles: "s", "min", "h". */
  readonly name: string;
  readonly seconds: number;
}

const UNITS: readonly TimeUnit[] = [
  { name: "s", seconds: 1 },
  { name: "min", seconds: 60 },
  { name: "h", seconds: 3600 },
];

/** Seconds up to 10 minutes, minutes up to 10 hours, hours beyond. */
export function chooseTimeUnit(endSeconds: number): TimeUnit {
  if (endSeconds <= 600) return UNITS[0];
  if (endSeconds <= 36_000) return UNITS[1];
  return UNITS[2];
}

/** A time in seconds expressed in `unit`, rounded to keep chart data short. */
export function inUnit(seconds: number, unit: TimeUnit): number {
  return roundMicros(seconds / unit.seconds);
}

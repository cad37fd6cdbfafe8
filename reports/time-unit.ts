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

/** A time bucket's length as words before "bucket": "1-minute", "10-second", "2-hour", "90-second". */
export function bucketLengthText(seconds: number): string {
  if (!(seconds > 0)) throw new RangeError(`bucketLengthText: ${seconds} is not a length above 0`);
  const [word, size] =
    seconds % 3600 === 0 ? ["hour", 3600] : seconds % 60 === 0 ? ["minute", 60] : ["second", 1];
  return `${Number((seconds / size).toPrecision(6))}-${word}`;
}

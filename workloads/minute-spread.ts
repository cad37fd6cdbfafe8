import type { Rng } from "../sim/random.js";
import type { MinuteSpread } from "../sim/scenario.js";
import type { GrowableFloat64 } from "./growable.js";

export const MINUTE_MICROS = 60_000_000;

/**
 * Places one function's arrivals inside a minute, as whole microseconds from the minute's start,
 * appended to `offsets` (in any order: the caller sorts the minute). `count` is the minute's
 * recorded count, already scaled by the load; `rng` is the function's own arrival stream.
 *
 * - uniform: exactly `count` arrivals, each at an independent uniform instant of the minute
 *   (a Poisson process conditioned on its count), one draw each.
 * - poisson: a Poisson process at rate count per minute, exponential gaps from the minute's
 *   start until it ends, so the minute's count varies (by about its square root) around
 *   `count`. Memorylessness makes the minutes join into one non-homogeneous Poisson process.
 * - even: `count` arrivals at the middles of equal slices of the minute; no draw.
 */
export function spreadInMinute(
  rule: MinuteSpread,
  count: number,
  rng: Rng,
  offsets: GrowableFloat64,
): void {
  if (count <= 0) return;
  if (rule === "uniform") {
    for (let i = 0; i < count; i++) offsets.push(Math.floor(rng() * MINUTE_MICROS));
  } else if (rule === "even") {
    for (let i = 0; i < count; i++) offsets.push(Math.floor(((i + 0.5) * MINUTE_MICROS) / count));
  } else {
    const meanGapMicros = MINUTE_MICROS / count;
    for (let at = -meanGapMicros * Math.log(1 - rng()); at < MINUTE_MICROS;) {
      offsets.push(Math.floor(at));
      at += -meanGapMicros * Math.log(1 - rng());
    }
  }
}

/**
 * A count times the load, rounded down or up at random with the fraction as the probability of
 * rounding up, so that the expected count is exactly count x load. No draw when it is whole.
 */
export function scaledCount(count: number, load: number, rng: Rng): number {
  if (load === 1) return count;
  const scaled = count * load;
  const whole = Math.floor(scaled);
  const fraction = scaled - whole;
  return fraction > 0 && rng() < fraction ? whole + 1 : whole;
}

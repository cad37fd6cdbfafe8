import type { Rng } from "../sim/random.js";
import type {
  ArrivalProcessSpec,
  BurstyArrivals,
  DiurnalArrivals,
  PeriodicArrivals,
  RampArrivals,
} from "../sim/scenario.js";

/**
 * When a synthetic workload's tasks arrive. A process is stateful: each call gives the next
 * arrival instant in integer microseconds (never earlier than the one before), Infinity when no
 * task will ever arrive again. It draws only from the stream it is given, the workload's own.
 */
export interface ArrivalProcess {
  nextArrivalMicros(rng: Rng): number;
}

export function makeArrivalProcess(spec: ArrivalProcessSpec): ArrivalProcess {
  switch (spec.process) {
    case "poisson":
      return poissonProcess(spec.rate);
    case "bursty":
      return burstyProcess(spec);
    case "diurnal":
      return diurnalProcess(spec);
    case "periodic":
      return periodicProcess(spec);
    case "ramp":
      return rampProcess(spec);
  }
}

/** The process in words, for reports: "Poisson arrivals at 3/s", "ramp from 1/s to 10/s ...". */
export function describeArrivals(spec: ArrivalProcessSpec): string {
  switch (spec.process) {
    case "poisson":
      return `Poisson arrivals at ${spec.rate}/s`;
    case "bursty":
      return (
        `bursty arrivals (on: ${spec.on.rate}/s for ${spec.on.meanSojournSeconds} s on average, ` +
        `off: ${spec.off.rate}/s for ${spec.off.meanSojournSeconds} s)`
      );
    case "diurnal":
      return spec.shape === "sinusoidal"
        ? `diurnal arrivals (mean ${spec.rate}/s, swing ${spec.amplitude * 100}%, peak at ` +
            `${spec.peakAtSeconds} s of a ${spec.periodSeconds} s period)`
        : `diurnal arrivals (${spec.interpolation} profile through ${spec.points.length} points, ` +
            `mean ${meanArrivalRate(spec).toFixed(3)}/s)`;
    case "periodic":
      return (
        `batches of ${spec.batch} every ${spec.everySeconds} s` +
        (spec.jitterSeconds > 0 ? ` (jitter ${spec.jitterSeconds} s)` : "")
      );
    case "ramp":
      return `arrivals ramping from ${spec.fromRate}/s to ${spec.toRate}/s over ${spec.overSeconds} s`;
  }
}

/** The long-run mean rate in tasks per second (a ramp's is the rate it ends at). */
export function meanArrivalRate(spec: ArrivalProcessSpec): number {
  switch (spec.process) {
    case "poisson":
      return spec.rate;
    case "bursty": {
      const { on, off } = spec;
      const cycle = on.meanSojournSeconds + off.meanSojournSeconds;
      return (on.rate * on.meanSojournSeconds + off.rate * off.meanSojournSeconds) / cycle;
    }
    case "diurnal":
      return spec.shape === "sinusoidal" ? spec.rate : profileMean(spec);
    case "periodic":
      return spec.batch / spec.everySeconds;
    case "ramp":
      return spec.toRate;
  }
}

/** The mean of a piecewise profile over its period: the area under it over the period. */
function profileMean(spec: Extract<DiurnalArrivals, { shape: "piecewise" }>): number {
  const { points, periodSeconds, interpolation } = spec;
  let area = 0;
  points.forEach((point, i) => {
    const next = points[(i + 1) % points.length];
    const width =
      (i + 1 < points.length ? next.atSeconds : next.atSeconds + periodSeconds) - point.atSeconds;
    area += width * (interpolation === "step" ? point.rate : (point.rate + next.rate) / 2);
  });
  // Before the first point, the wrap from the last point is already counted in the last width.
  return area / periodSeconds;
}

/** An exponential draw with the given mean, by inversion (one draw; 1 - u is never 0). */
function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng());
}

/** Poisson arrivals: exponential gaps with mean 1/rate, each rounded to the microsecond. */
export function poissonProcess(ratePerSecond: number): ArrivalProcess {
  const meanGapMicros = 1e6 / ratePerSecond;
  let clock = 0;
  return { nextArrivalMicros: (rng) => (clock += Math.round(exponential(rng, meanGapMicros))) };
}

/**
 * A two-state Markov-modulated Poisson process: Poisson arrivals at the `on` rate while on and at
 * the `off` rate while off, each stay exponentially long. The first state is drawn from the
 * stationary law (on with probability meanOn / (meanOn + meanOff)), so the process is
 * stationary from time 0. Memorylessness lets a gap that crosses a switch be drawn afresh.
 */
function burstyProcess(spec: BurstyArrivals): ArrivalProcess {
  const states = [spec.on, spec.off].map((state) => ({
    meanGapMicros: state.rate > 0 ? 1e6 / state.rate : Infinity,
    meanSojournMicros: state.meanSojournSeconds * 1e6,
  }));
  if (spec.on.rate === 0 && spec.off.rate === 0) return { nextArrivalMicros: () => Infinity };

  let clock = 0;
  let state = -1;
  let stateEndsAt = 0;
  return {
    nextArrivalMicros(rng) {
      if (state < 0) {
        const onShare =
          states[0].meanSojournMicros / (states[0].meanSojournMicros + states[1].meanSojournMicros);
        state = rng() < onShare ? 0 : 1;
        stateEndsAt = exponential(rng, states[state].meanSojournMicros);
      }
      for (;;) {
        const { meanGapMicros } = states[state];
        const at = meanGapMicros === Infinity ? Infinity : clock + exponential(rng, meanGapMicros);
        if (at < stateEndsAt) return Math.round((clock = at));
        clock = stateEndsAt;
        state = 1 - state;
        stateEndsAt = clock + exponential(rng, states[state].meanSojournMicros);
      }
    },
  };
}

/**
 * A rate that repeats every period, by thinning (Lewis and Shedler, 1979): candidates come as a
 * Poisson process at the peak rate, and one at t is kept with probability rate(t) / peak.
 */
function diurnalProcess(spec: DiurnalArrivals): ArrivalProcess {
  const { rateAt, peak } = spec.shape === "sinusoidal" ? sinusoid(spec) : profile(spec);
  if (peak === 0) return { nextArrivalMicros: () => Infinity };
  const meanGapMicros = 1e6 / peak;
  let clock = 0;
  return {
    nextArrivalMicros(rng) {
      for (;;) {
        clock += exponential(rng, meanGapMicros);
        if (rng() * peak < rateAt(clock / 1e6)) return Math.round(clock);
      }
    },
  };
}

interface RateCurve {
  rateAt: (seconds: number) => number;
  peak: number;
}

/** rate (1 + amplitude cos(2 pi (t - peakAt) / period)). */
function sinusoid(spec: Extract<DiurnalArrivals, { shape: "sinusoidal" }>): RateCurve {
  const { rate, amplitude, peakAtSeconds, periodSeconds } = spec;
  const angular = (2 * Math.PI) / periodSeconds;
  return {
    rateAt: (t) => rate * (1 + amplitude * Math.cos(angular * (t - peakAtSeconds))),
    peak: rate * (1 + amplitude),
  };
}

/** Through the points, linear or in steps, wrapping from the last point to the first. */
function profile(spec: Extract<DiurnalArrivals, { shape: "piecewise" }>): RateCurve {
  const { points, periodSeconds, interpolation } = spec;
  const times = points.map((point) => point.atSeconds);
  const rates = points.map((point) => point.rate);
  const last = points.length - 1;

  const rateAt = (t: number): number => {
    const time = ((t % periodSeconds) + periodSeconds) % periodSeconds;
    let i = last;
    while (i >= 0 && times[i] > time) i--;

    // Before the first point, the segment is the one that wraps from the last point.
    const from = i < 0 ? last : i;
    const to = i < 0 || i === last ? 0 : i + 1;
    if (interpolation === "step") return rates[from];
    const fromTime = i < 0 ? times[last] - periodSeconds : times[i];
    const toTime = to === 0 ? times[0] + (i < 0 ? 0 : periodSeconds) : times[to];
    return rates[from] + ((rates[to] - rates[from]) * (time - fromTime)) / (toTime - fromTime);
  };
  return { rateAt, peak: Math.max(...rates) };
}

/**
 * `batch` tasks at offset, offset + every, offset + 2 every, ...; each task of a batch arrives
 * a uniform jitter in [0, jitter) after its tick (jitter <= every keeps batches from
 * overlapping). Ticks are computed from time 0, so they never drift.
 */
function periodicProcess(spec: PeriodicArrivals): ArrivalProcess {
  const everyMicros = Math.round(spec.everySeconds * 1e6);
  const offsetMicros = Math.round(spec.offsetSeconds * 1e6);
  const jitterMicros = Math.round(spec.jitterSeconds * 1e6);
  const pending = new Float64Array(spec.batch);
  let tick = 0;
  let index = spec.batch;

  return {
    nextArrivalMicros(rng) {
      if (spec.batch === 0) return Infinity;
      if (index === spec.batch) {
        const tickAt = offsetMicros + tick++ * everyMicros;
        for (let i = 0; i < spec.batch; i++) {
          pending[i] = tickAt + (jitterMicros > 0 ? Math.floor(rng() * jitterMicros) : 0);
        }
        pending.sort();
        index = 0;
      }
      return pending[index++];
    },
  };
}

/**
 * A rate that moves linearly from `fromRate` to `toRate` over `over` seconds, then stays at
 * `toRate`. Exact, by inverting the integrated rate Lambda(t) = a t + (b - a) t^2 / (2 T) at the
 * points of a unit-rate Poisson process (a time change).
 */
function rampProcess(spec: RampArrivals): ArrivalProcess {
  const { fromRate: a, toRate: b, overSeconds: span } = spec;
  const rampTotal = ((a + b) * span) / 2;
  let unitClock = 0;

  const timeAt = (s: number): number => {
    if (s <= rampTotal) return (2 * s) / (a + Math.sqrt(a * a + (2 * (b - a) * s) / span));
    return b > 0 ? span + (s - rampTotal) / b : Infinity;
  };
  return {
    nextArrivalMicros(rng) {
      unitClock += exponential(rng, 1);
      return Math.round(timeAt(unitClock) * 1e6);
    },
  };
}

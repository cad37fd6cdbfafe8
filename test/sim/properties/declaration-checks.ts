import { dirname, join } from "node:path";
import { isUserError } from "../../../sim/errors.js";
import { parseScenario } from "../../../sim/load-scenario.js";
import type { ArrivalProcessSpec, Scenario, SyntheticWorkloadSpec } from "../../../sim/scenario.js";
import { fail } from "./observe.js";
import type { CaseSpec, SyntheticCase } from "./scenario-arbitrary.js";

// The generated cases are scenarios a user could write: their environments and synthetic and
// trace workloads, written as a scenario file, load to what buildScenario() gives the engine; and
// the SDK's declaration rule holds (MODEL.md §1: concurrency above 1 only for async tasks).

/**
 * The case as a scenario file's data, without its inline tasks (a file cannot hold them); null
 * when that leaves no workload.
 */
export function scenarioFileOf(spec: CaseSpec, tracePath?: string): Record<string, unknown> | null {
  const workloads: unknown[] = spec.synthetic.map(syntheticFileOf);
  if (tracePath !== undefined) {
    workloads.push({ trace: { path: tracePath, format: "tasks" }, async: spec.traceAsync });
  }
  if (workloads.length === 0) return null;

  const environments = Object.fromEntries(
    spec.environments.map((e) => [
      e.name,
      {
        policy: e.policy,
        coldStart: e.coldStart,
        firstTaskOverhead: e.firstTaskOverheadSeconds,
        dispatchOverhead: e.dispatchOverheadSeconds,
        cost: { perReplicaHour: e.perReplicaHour },
      },
    ]),
  );
  return {
    seed: spec.seed,
    ...(Number.isFinite(spec.horizonSeconds) ? { horizon: spec.horizonSeconds } : {}),
    controlPeriod: spec.controlPeriodSeconds,
    timelineStep: spec.timelineStepSeconds,
    environments,
    workloads,
  };
}

function syntheticFileOf(s: SyntheticCase): Record<string, unknown> {
  const fanout = s.fanout;
  return {
    env: s.env,
    arrivals: arrivalsFileOf(s.arrivals),
    duration: s.duration,
    async: s.async,
    ...(s.timeoutSeconds > 0 ? { timeout: s.timeoutSeconds } : {}),
    ...(fanout === undefined
      ? {}
      : {
          fanout: {
            ...(fanout.env === undefined ? {} : { env: fanout.env }),
            count: fanout.count,
            duration: fanout.duration,
            waves: fanout.waves,
            depth: fanout.depth,
            tail: fanout.tailSeconds,
            async: fanout.async,
          },
        }),
  };
}

/** An arrival process as a file writes it (the inverse of the loader's resolveArrivals). */
function arrivalsFileOf(a: ArrivalProcessSpec): Record<string, unknown> {
  switch (a.process) {
    case "poisson":
      return { process: "poisson", rate: a.rate };
    case "bursty": {
      const state = (s: { rate: number; meanSojournSeconds: number }) => ({
        rate: s.rate,
        meanSojourn: s.meanSojournSeconds,
      });
      return { process: "bursty", on: state(a.on), off: state(a.off) };
    }
    case "diurnal":
      return a.shape === "sinusoidal"
        ? {
            process: "diurnal",
            rate: a.rate,
            amplitude: a.amplitude,
            peakAt: a.peakAtSeconds,
            period: a.periodSeconds,
          }
        : {
            process: "diurnal",
            profile: Object.fromEntries(a.points.map((p) => [String(p.atSeconds), p.rate])),
            interpolation: a.interpolation,
            period: a.periodSeconds,
          };
    case "periodic":
      return {
        process: "periodic",
        every: a.everySeconds,
        batch: a.batch,
        jitter: a.jitterSeconds,
        offset: a.offsetSeconds,
      };
    case "ramp":
      return { process: "ramp", from: a.fromRate, to: a.toRate, over: a.overSeconds };
  }
}

function load(file: Record<string, unknown>, tracePath?: string): Scenario {
  const folder = tracePath === undefined ? "." : dirname(tracePath);
  return parseScenario(JSON.stringify(file), join(folder, "case.json"));
}

/**
 * The case, written as a file, loads; its synthetic workloads resolve to exactly the ones the
 * engine is given (arrivals, async, timeout, fanout); and each workload or fanout on an
 * environment with concurrency above 1, made sync, is rejected naming that environment.
 */
export function checkDeclaration(spec: CaseSpec, tracePath?: string): void {
  const file = scenarioFileOf(spec, tracePath);
  if (file === null) return;

  let scenario: Scenario;
  try {
    scenario = load(file, tracePath);
  } catch (error) {
    fail(`the case, written as a scenario file, does not load: ${(error as Error).message}`);
  }
  spec.synthetic.forEach((s, i) => {
    const loaded = scenario.workloads[i] as SyntheticWorkloadSpec;
    const resolved = {
      arrivals: loaded.arrivals,
      duration: loaded.duration.spec,
      async: loaded.async,
      timeoutSeconds: loaded.timeoutSeconds,
      fanout: loaded.fanout && { ...loaded.fanout, duration: loaded.fanout.duration.spec },
    };
    const given = {
      arrivals: s.arrivals,
      duration: s.duration,
      async: s.async,
      timeoutSeconds: s.timeoutSeconds,
      fanout: s.fanout && {
        ...(s.fanout.env === undefined ? {} : { env: s.fanout.env }),
        count: s.fanout.count,
        duration: s.fanout.duration,
        waves: s.fanout.waves,
        depth: s.fanout.depth,
        tailSeconds: s.fanout.tailSeconds,
        async: s.fanout.async,
      },
    };
    if (JSON.stringify(resolved) !== JSON.stringify(given)) {
      fail(
        `workloads[${i}] loads as ${JSON.stringify(resolved)}; the case gives ${JSON.stringify(given)}`,
      );
    }
  });

  const concurrencyOf = (env: string): number => {
    const policy = spec.environments.find((e) => e.name === env)?.policy;
    return policy === undefined || policy === "none" ? 1 : policy.concurrency;
  };
  const workloads = file.workloads as Record<string, unknown>[];
  spec.synthetic.forEach((s, i) => {
    const sync = (change: Record<string, unknown>): Record<string, unknown> => ({
      ...file,
      workloads: workloads.map((w, j) => (j === i ? { ...w, ...change } : w)),
    });
    if (concurrencyOf(s.env) > 1) {
      // The fanout keeps its own async flag, so only the workload's is at fault.
      expectSyncRejected(sync({ async: false }), s.env, concurrencyOf(s.env), tracePath);
    }
    const childEnv = s.fanout?.env ?? s.env;
    if (s.fanout !== undefined && concurrencyOf(childEnv) > 1) {
      const fanout = { ...(workloads[i].fanout as object), async: false };
      expectSyncRejected(sync({ fanout }), childEnv, concurrencyOf(childEnv), tracePath);
    }
  });
}

function expectSyncRejected(
  file: Record<string, unknown>,
  env: string,
  concurrency: number,
  tracePath?: string,
): void {
  const expected = `environment "${env}" has concurrency ${concurrency}, which only async tasks`;
  try {
    load(file, tracePath);
  } catch (error) {
    if (isUserError(error) && error.message.includes(expected)) return;
    fail(
      `sync tasks on ${env} (concurrency ${concurrency}) were rejected for another reason: ${(error as Error).message}`,
    );
  }
  fail(`sync tasks on ${env} (concurrency ${concurrency}) were accepted`);
}

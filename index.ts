/**
 * reuse-sim as a library: load or build a scenario, simulate it, read the summary as plain data.
 *
 *   import { loadScenario, simulate } from "reuse-sim";
 *   const summary = await simulate(await loadScenario("scenarios/steady-api.yaml"));
 *   console.log(summary.total.wait.p99, summary.total.cost.total);
 */
export { ReusePolicy, checkReusePolicy } from "./policies/reuse-policy.js";
export type { PolicyFinding, ReusePolicyOptions } from "./policies/reuse-policy.js";
export { lintScenario } from "./policies/lint.js";
export type { LintFinding } from "./policies/lint.js";
export { loadScenario, parseScenario } from "./sim/load-scenario.js";
export type { LoadScenarioOptions } from "./sim/load-scenario.js";
export { simulate } from "./sim/simulation.js";
export type { SimulationOptions } from "./sim/simulation.js";
export type {
  EnvironmentSummary,
  Measures,
  StarvationReport,
  Summary,
  TotalSummary,
} from "./sim/summary.js";
export type {
  EnvironmentSpec,
  InlineTask,
  Scenario,
  SyntheticWorkloadSpec,
  TraceWorkloadSpec,
  WorkloadSpec,
} from "./sim/scenario.js";
export { makeSampler } from "./sim/distributions.js";
export type { Sampler } from "./sim/distributions.js";
export { parseDuration, formatDuration } from "./sim/duration.js";
export { UserError, isUserError } from "./sim/errors.js";
export type { Logger } from "./sim/logger.js";
export type { Task, StartKind } from "./sim/task.js";
export type { TimelineRow } from "./sim/timeline.js";

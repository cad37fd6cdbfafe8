import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadScenario } from "../sim/load-scenario.js";
import { simulate } from "../sim/simulation.js";
import type { Summary } from "../sim/summary.js";

/** The repository's root, found from this compiled file (dist/scripts/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SCENARIOS_DIR = join(REPO_ROOT, "scenarios");

/**
 * Variables the example scenarios use for data that is not in the repository: the public
 * Azure Functions trace excerpts, expected beside the repository in ../shared/data.
 */
export const EXAMPLE_VARIABLES: Record<string, string> = {
  DATA: resolve(REPO_ROOT, "..", "shared", "data"),
};

/**
 * The trace each replay example reads, as `${TRACE}` (a user passes it with --trace PATH).
 */
export const EXAMPLE_TRACES: Record<string, string> = {
  "azure2019-10fn.yaml": join(EXAMPLE_VARIABLES.DATA, "azure2019-10fn"),
  "azure2019-10fn-no-reuse.yaml": join(EXAMPLE_VARIABLES.DATA, "azure2019-10fn"),
  "azure2019-1fn-day.yaml": join(EXAMPLE_VARIABLES.DATA, "azure2019-1fn"),
  "azure2021.yaml": join(EXAMPLE_VARIABLES.DATA, "azure2021", "invocations-200.csv"),
};

/** Every example scenario, by file name, in a stable order. */
export function exampleScenarios(): string[] {
  return readdirSync(SCENARIOS_DIR)
    .filter((name) => /\.(ya?ml|json)$/.test(name) && !name.endsWith(".schema.json"))
    .filter((name) => !name.endsWith(".summary.json"))
    .sort();
}

/** Where a scenario's expected summary is committed: beside it. */
export function expectedSummaryPath(scenarioFile: string): string {
  return join(SCENARIOS_DIR, scenarioFile.replace(/\.(ya?ml|json)$/, ".summary.json"));
}

export async function runExample(scenarioFile: string): Promise<Summary> {
  const trace = EXAMPLE_TRACES[scenarioFile];
  const scenario = await loadScenario(join(SCENARIOS_DIR, scenarioFile), {
    variables: trace === undefined ? EXAMPLE_VARIABLES : { ...EXAMPLE_VARIABLES, TRACE: trace },
  });
  return simulate(scenario);
}

/** The summary as committed: JSON with two-space indent and a final newline. */
export function summaryText(summary: Summary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

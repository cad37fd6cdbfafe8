import { createHash } from "node:crypto";
import fc from "fast-check";
import { simulate } from "../sim/simulation.js";
import type { Scenario } from "../sim/scenario.js";
import { buildScenario, caseArb } from "../test/sim/properties/scenario-arbitrary.js";
import { poolScenario } from "./workloads.js";

/**
 * A check that an optimisation changed nothing: one hash per scenario of its summary, every task
 * row and every timeline row. Run it before and after a change to the engine and diff the
 * output: `node dist/bench/fingerprint.js [--each] > before.txt`.
 */
async function fingerprint(scenario: Scenario): Promise<string> {
  const hash = createHash("sha256");
  const summary = await simulate(scenario, {
    onTaskEnd: (t) =>
      hash.update(
        `${t.id},${t.env.name},${t.arrivalAt},${t.placedAt},${t.startAt},${t.endAt},${t.kind},${t.replica?.id}\n`,
      ),
    onTimelineRow: (row) => hash.update(`${JSON.stringify(row)}\n`),
  });
  hash.update(JSON.stringify(summary));
  return hash.digest("hex").slice(0, 16);
}

const RANDOM_CASES = 400;
/** `--each` prints every scenario's hash, to find the ones that changed. */
const isEach = process.argv.includes("--each");

const scenarios: Scenario[] = [poolScenario(200_000), poolScenario(50_000, 7)];
for (const spec of fc.sample(caseArb, { numRuns: RANDOM_CASES, seed: 4242 })) {
  scenarios.push(buildScenario(spec));
}

let combined = createHash("sha256");
for (const [index, scenario] of scenarios.entries()) {
  const digest = await fingerprint(scenario);
  combined = combined.update(digest);
  if (index < 2 || isEach) process.stdout.write(`${scenario.name} ${index} ${digest}\n`);
}
process.stdout.write(`all ${scenarios.length} scenarios ${combined.digest("hex").slice(0, 16)}\n`);

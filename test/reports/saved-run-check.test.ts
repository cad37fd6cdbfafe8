import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";

import { checkScenario, checkSummary } from "../../reports/saved-run-check.js";
import {
  EXAMPLE_TRACES,
  EXAMPLE_VARIABLES,
  exampleScenarios,
  expectedSummaryPath,
} from "../../scripts/scenario-catalogue.js";
import { isUserError } from "../../sim/errors.js";
import { loadScenario } from "../../sim/load-scenario.js";
import { describeScenario } from "../../sim/scenario-description.js";
import type { Summary } from "../../sim/summary.js";
import { REPO_ROOT } from "../workloads/trace-helpers.js";
import { driverAndWorkers, fanoutSetUps, poolAndBaseline, stalledRun } from "./fixture.js";

function committedSummary(file: string): Summary {
  return JSON.parse(readFileSync(expectedSummaryPath(file), "utf8")) as Summary;
}

/** The message of the UserError that `check` throws. */
function problem(check: () => unknown): string {
  try {
    check();
  } catch (error) {
    if (isUserError(error)) return error.message;
    throw error;
  }
  return expect.fail("expected a UserError");
}

describe("reports/saved-run-check", function () {
  this.timeout(60_000);

  for (const file of exampleScenarios()) {
    it(`checkSummary(summary) accepts the committed summary of scenarios/${file}`, () => {
      const summary = committedSummary(file);

      expect(checkSummary(summary, "summary.json")).to.equal(summary);
    });

    it(`checkScenario(description) accepts what run --out writes for scenarios/${file}`, async () => {
      const trace = EXAMPLE_TRACES[file];
      const variables =
        trace === undefined ? EXAMPLE_VARIABLES : { ...EXAMPLE_VARIABLES, TRACE: trace };
      const scenario = await loadScenario(join(REPO_ROOT, "scenarios", file), { variables });
      const names = Object.keys(committedSummary(file).environments);
      // Through JSON, as the file holds it: no undefined, no Infinity.
      const description = JSON.parse(JSON.stringify(describeScenario(scenario, names)));

      expect(checkScenario(description, "scenario.json")).to.deep.equal(description);
    });
  }

  it("checkScenario(description) accepts fan-outs, a stall and the no-reuse baseline", () => {
    for (const scenario of [poolAndBaseline, fanoutSetUps, driverAndWorkers, stalledRun]) {
      const description = JSON.parse(JSON.stringify(describeScenario(scenario)));
      expect(checkScenario(description, "scenario.json"), scenario.name).to.deep.equal(description);
    }
  });

  it("checkSummary(summary) names an environment's key as written, quoted when not a plain name", () => {
    const summary = committedSummary("steady-api.yaml") as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const api = summary.environments.api;
    summary.environments = { "my api": { ...api, cost: { ...api.cost, idle: -1 } } };

    expect(problem(() => checkSummary(summary, "run/summary.json"))).to.equal(
      'run/summary.json: environments["my api"].cost.idle is -1; expected a number from 0 to 1e15, as reuse-sim run --out writes it',
    );
  });

  it("checkSummary(summary) quotes a long bad value cut short", () => {
    const summary = committedSummary("steady-api.yaml") as unknown as Record<string, unknown>;
    summary.scenario = ["x".repeat(1_000_000)];

    const message = problem(() => checkSummary(summary, "summary.json"));

    expect(message).to.match(
      /^summary\.json: scenario is \["x+\.\.\. \(1000004 characters\); expected a string,/,
    );
    expect(message.length).to.be.below(200);
  });
});

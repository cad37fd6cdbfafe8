import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "csv-parse/sync";
import {
  EXAMPLE_TRACES,
  exampleScenarios,
  expectedSummaryPath,
  runExample,
  summaryText,
} from "../scripts/scenario-catalogue.js";
import type { Summary } from "../sim/summary.js";

/** Each example runs once; the checks below share its summary. */
const summaries = new Map<string, Promise<Summary>>();

function summaryOf(file: string): Promise<Summary> {
  let summary = summaries.get(file);
  if (summary === undefined) summaries.set(file, (summary = runExample(file)));
  return summary;
}

/** The invocations a trace records, counted from the file itself rather than by its reader. */
function recordedInvocations(scenarioFile: string): number {
  const trace = EXAMPLE_TRACES[scenarioFile];
  if (statSync(trace).isDirectory()) {
    // azure2019: a row per function, its count per minute after the four key columns.
    const records: string[][] = parse(readFileSync(join(trace, "invocations.csv")), {
      from_line: 2,
    });
    return records.reduce(
      (total, record) => total + record.slice(4).reduce((sum, count) => sum + Number(count), 0),
      0,
    );
  }
  // azure2021: a row per invocation.
  return parse(readFileSync(trace), { from_line: 2 }).length;
}

// Every example in scenarios/ runs, and gives exactly the summary committed beside it
// (`npm run scenarios:update` rewrites them after a deliberate change of the model).
describe("scenarios/", function () {
  this.timeout(300_000);

  it("scenarios/ holds examples, each with its expected summary", () => {
    expect(exampleScenarios()).to.include("steady-api.yaml");
    for (const file of exampleScenarios()) {
      expect(existsSync(expectedSummaryPath(file)), `${file} has no expected summary`).to.equal(
        true,
      );
    }
  });

  for (const file of exampleScenarios()) {
    it(`scenarios/${file} runs and matches its committed summary byte for byte`, async () => {
      const expected = readFileSync(expectedSummaryPath(file), "utf8");
      expect(summaryText(await summaryOf(file))).to.equal(expected);
    });
  }
});

// What the replay examples must give whatever the committed summaries say: checked against
// the trace files themselves and against what no reuse means.
describe("scenarios/: the replays against the shared excerpts", function () {
  this.timeout(300_000);

  for (const file of Object.keys(EXAMPLE_TRACES)) {
    it(`scenarios/${file}: every invocation the trace records arrives, once`, async () => {
      const { total } = await summaryOf(file);
      expect(total.tasks.arrived).to.equal(recordedInvocations(file));
      expect(total.tasks.completed).to.equal(total.tasks.arrived);
    });
  }

  it("scenarios/azure2019-10fn-no-reuse.yaml: every task has a replica of its own, one cold start each", async () => {
    const summary = await summaryOf("azure2019-10fn-no-reuse.yaml");
    for (const [name, env] of Object.entries(summary.environments)) {
      expect(env.coldStarts.replicas, name).to.equal(env.tasks.arrived);
      expect(env.tasksByStart.cold, name).to.equal(env.tasks.arrived);
    }
    expect(summary.total.coldStarts.replicas).to.equal(summary.total.tasks.arrived);
  });

  it("scenarios/azure2019-10fn.yaml: reuse has fewer cold starts than the no-reuse baseline, in every environment", async () => {
    const reuse = await summaryOf("azure2019-10fn.yaml");
    const baseline = await summaryOf("azure2019-10fn-no-reuse.yaml");
    expect(Object.keys(reuse.environments)).to.deep.equal(Object.keys(baseline.environments));
    for (const [name, env] of Object.entries(reuse.environments)) {
      // The same seed replays the same invocations in both.
      expect(env.tasks.arrived, name).to.equal(baseline.environments[name].tasks.arrived);
      expect(env.coldStarts.replicas, name).to.be.below(
        baseline.environments[name].coldStarts.replicas,
      );
    }
    expect(reuse.total.coldStarts.replicas).to.be.below(baseline.total.coldStarts.replicas);
  });
});

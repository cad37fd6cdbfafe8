import { existsSync, readFileSync } from "node:fs";
import { expect } from "chai";
import {
  exampleScenarios,
  expectedSummaryPath,
  runExample,
  summaryText,
} from "../scripts/scenario-catalogue.js";

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
      expect(summaryText(await runExample(file))).to.equal(expected);
    });
  }
});

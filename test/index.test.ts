import { expect } from "chai";
import { ReusePolicy, loadScenario, simulate } from "../index.js";

describe("the package's API", () => {
  it("loadScenario() then simulate() returns the summary that `run` prints, as plain data", async () => {
    const scenario = await loadScenario("scenarios/steady-api.yaml");
    const summary = await simulate(scenario);
    expect(summary.scenario).to.equal("steady-api");
    expect(JSON.parse(JSON.stringify(summary))).to.deep.equal(summary);
    expect(new ReusePolicy({ replicas: [1, 3] }).maxReplicas()).to.equal(3);
  });
});

import { expect } from "chai";

import { setUpsOf } from "../../reports/set-ups.js";
import { parseScenario } from "../../sim/load-scenario.js";
import { describeScenario } from "../../sim/scenario-description.js";
import { fanoutSetUps, poolAndBaseline } from "./fixture.js";

/** A scenario of the named pools whose workloads are given as YAML lines. */
function described(workloads: string) {
  return describeScenario(
    parseScenario(
      `
name: set-ups
horizon: 1h
environments:
  a: { policy: { replicas: [1, 4] } }
  b: { policy: { replicas: [1, 4] } }
  pool: { policy: { replicas: [1, 4] } }
workloads:
${workloads}`,
      "set-ups.yaml",
    ),
  );
}

const names = (scenario: Parameters<typeof setUpsOf>[0]): string[][] =>
  setUpsOf(scenario).setUps.map((setUp) => setUp.environments.map((env) => env.name));

describe("reports/set-ups", () => {
  it("setUpsOf(scenario) ties a parent's environment to its fan-out's, and names the stream they share", () => {
    const grouping = setUpsOf(describeScenario(fanoutSetUps));

    expect(names(describeScenario(fanoutSetUps))).to.deep.equal([
      ["starving"],
      ["async"],
      ["driver", "workers"],
    ]);
    expect(grouping.setUps.map((setUp) => setUp.name)).to.deep.equal([
      "starving",
      "async",
      "driver + workers",
    ]);
    expect(grouping).to.include({ isGrouped: true });
    expect(grouping.sharedStreams).to.deep.equal(["parents"]);
  });

  it("setUpsOf(scenario) leaves each environment alone when no fan-out crosses environments", () => {
    const grouping = setUpsOf(describeScenario(poolAndBaseline));

    expect(names(describeScenario(poolAndBaseline))).to.deep.equal([["api"], ["baseline"]]);
    expect(grouping).to.include({ isGrouped: false });
    expect(grouping.sharedStreams).to.deep.equal([]);
  });

  it("setUpsOf(scenario) groups nothing when two workloads of one stream would fall into one set-up", () => {
    const fanout = "fanout: { env: pool, count: 2, duration: { dist: constant, value: 1s } }";
    const scenario = described(
      [
        `  - { env: a, stream: s, arrivals: { process: poisson, rate: 1 }, duration: { dist: constant, value: 1s }, ${fanout} }`,
        `  - { env: b, stream: s, arrivals: { process: poisson, rate: 1 }, duration: { dist: constant, value: 1s }, ${fanout} }`,
      ].join("\n"),
    );

    expect(names(scenario)).to.deep.equal([["a"], ["b"], ["pool"]]);
    expect(setUpsOf(scenario)).to.include({ isGrouped: false });
  });
});

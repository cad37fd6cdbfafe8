import { expect } from "chai";

import { makeSampler } from "../../sim/distributions.js";
import { parseScenario } from "../../sim/load-scenario.js";
import { describeScenario } from "../../sim/scenario-description.js";
import { env, inline, scenario } from "../helpers.js";

describe("sim/scenario-description", () => {
  const described = describeScenario(
    scenario(
      [
        env(
          "api",
          { replicas: [1, 3], idle_ttl: "5m", scaledown_ttl: 60, concurrency: 2 },
          {
            coldStart: makeSampler({ dist: "lognormal", median: "20s", p99: "90s" }, "coldStart"),
            firstTaskOverheadSeconds: 2,
            dispatchOverheadSeconds: 0.05,
            cost: { perReplicaHour: 0.4 },
          },
        ),
        env("baseline", "none"),
      ],
      [
        inline([
          { arrival: 0, duration: 1, env: "api" },
          { arrival: 1, duration: 1, env: "baseline" },
          { arrival: 2, duration: 1, env: "api" },
        ]),
        {
          kind: "synthetic",
          env: "api",
          arrivals: { process: "poisson", rate: 2 },
          duration: makeSampler({ dist: "exponential", mean: 3 }, "duration"),
          async: true,
        },
      ],
      { name: "described", seed: 7, controlPeriodSeconds: 5, timelineStepSeconds: 30 },
    ),
  );

  it('describeScenario(scenario) records each policy as ReusePolicy.toJSON(), or "none"', () => {
    expect(described.environments.map((e) => e.policy)).to.deep.equal([
      { replicas: [1, 3], idle_ttl: 300, concurrency: 2, scaledown_ttl: 60 },
      "none",
    ]);
  });

  it("describeScenario(scenario) keeps the cold start's spec and text, the overheads and the price", () => {
    const [api] = described.environments;

    expect(api.coldStart.text).to.equal("lognormal(median 20s, p99 90s)");
    expect(api.coldStart.spec).to.include({ dist: "lognormal" });
    expect(api).to.include({ firstTaskOverheadSeconds: 2, dispatchOverheadSeconds: 0.05 });
    expect(api.cost).to.deep.equal({ perReplicaHour: 0.4 });
  });

  it("describeScenario(scenario) writes an endless horizon as null, which JSON can hold", () => {
    expect(described).to.include({
      name: "described",
      seed: 7,
      horizonSeconds: null,
      controlPeriodSeconds: 5,
      timelineStepSeconds: 30,
    });
    expect(JSON.parse(JSON.stringify(described))).to.deep.equal(described);
  });

  it("describeScenario(scenario) sums up workloads: inline tasks by count, synthetic by process", () => {
    expect(described.workloads[0]).to.deep.equal({
      kind: "inline",
      tasks: 3,
      envs: ["api", "baseline"],
    });
    expect(described.workloads[1]).to.deep.include({
      kind: "synthetic",
      env: "api",
      arrivals: { process: "poisson", rate: 2 },
      async: true,
    });
  });
});

describe("describeScenario(scenario, environmentNames)", () => {
  it("describeScenario(scenario, names) describes environments created from templates too", () => {
    const template = { ...env("x", { replicas: [0, 4] }, { cost: { perReplicaHour: 2 } }) };
    Reflect.deleteProperty(template, "name");
    const described = describeScenario(
      scenario([env("api", { replicas: 1 })], [], {
        environmentPatterns: [{ glob: "*-http", template }],
        defaultEnvironment: { ...template, cost: { perReplicaHour: 1, perGbHour: 0.5 } },
      }),
      ["api", "f1-http", "f2-queue"],
    );
    expect(described.environments.map((e) => [e.name, e.cost])).to.deep.equal([
      ["api", { perReplicaHour: 1 }],
      ["f1-http", { perReplicaHour: 2 }],
      ["f2-queue", { perReplicaHour: 1, perGbHour: 0.5 }],
    ]);
    expect(described.environmentTemplates?.map((t) => t.match)).to.deep.equal([
      "*-http",
      "default",
    ]);
  });
});

describe("describeScenario(scenario) with fan-out, timeout and stream", () => {
  const described = describeScenario(
    parseScenario(
      `
name: fanned
horizon: 1h
environments:
  driver: { policy: none }
  workers: { policy: { replicas: [1, 3], concurrency: 4 } }
workloads:
  - env: driver
    stream: parents
    arrivals: { process: poisson, rate: 0.01 }
    duration: { dist: constant, value: 10s }
    timeout: 15m
    fanout: { env: workers, count: 3, waves: 2, depth: 2, async: true, tail: 5s, duration: { dist: exponential, mean: 1m } }
  - env: workers
    async: true
    arrivals: { process: poisson, rate: 0.01 }
    duration: { dist: constant, value: 1s }
`,
      "fanned.yaml",
    ),
  );

  it("describeScenario(scenario) keeps a workload's fan-out: env, count, waves, depth, child duration, tail, async", () => {
    expect(described.workloads[0]).to.deep.include({
      timeoutSeconds: 900,
      stream: "parents",
      fanout: {
        env: "workers",
        count: 3,
        waves: 2,
        depth: 2,
        duration: { spec: { dist: "exponential", mean: 60 }, text: "exponential(mean 1m)" },
        tailSeconds: 5,
        async: true,
      },
    });
  });

  it("describeScenario(scenario) leaves out a fan-out, timeout and stream the workload does not have", () => {
    expect(described.workloads[1]).to.not.have.any.keys("fanout", "timeoutSeconds", "stream");
  });
});

describe("describeScenario(a trace workload)", () => {
  it("describeScenario names trace files relative to the scenario's folder, the same on every machine", () => {
    const described = describeScenario({
      name: "replay",
      seed: 1,
      horizonSeconds: Number.POSITIVE_INFINITY,
      controlPeriodSeconds: 5,
      timelineStepSeconds: 60,
      environments: [],
      baseDir: "/home/someone/project/scenarios",
      workloads: [
        {
          kind: "trace",
          path: "/home/someone/data/azure2019/invocations.csv",
          format: "azure2019",
          async: false,
          durationsPath: "/home/someone/data/azure2019/durations.csv",
        },
      ],
    });
    expect(described.workloads[0]).to.deep.include({
      path: "../../data/azure2019/invocations.csv",
      durationsPath: "../../data/azure2019/durations.csv",
    });
  });
});

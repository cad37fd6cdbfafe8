import { expect } from "chai";
import { ReusePolicy } from "../../policies/reuse-policy.js";
import { parseScenario } from "../../sim/load-scenario.js";
import type { SyntheticWorkloadSpec, TraceWorkloadSpec } from "../../sim/scenario.js";
import { sharedData, writeTrace } from "../workloads/trace-helpers.js";

// The scenario keys for environment templates, arrival processes and trace workloads.

const TASKS = writeTrace("load-workloads/day.csv", "arrival,duration,env\n0,1,api\n");
const FILE = TASKS.replace("day.csv", "scenario.yaml");

function load(text: string) {
  return parseScenario(text, FILE);
}

function failure(text: string): string {
  try {
    load(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the scenario to be rejected");
}

function arrivals(spec: string): string {
  return `horizon: 1h
environments: {api: {policy: {replicas: 1}}}
workloads:
  - {env: api, duration: {dist: constant, value: 1}, arrivals: ${spec}}
`;
}

describe("loadScenario: environment templates", () => {
  const text = `environments:
  default:
    policy: {replicas: [0, 4], idle_ttl: 10m, scaledown_ttl: 1m}
    coldStart: {dist: constant, value: 2s}
    cost: {perReplicaHour: 0.1, perGbHour: 0.05}
  "*-http":
    policy: {replicas: [1, 8]}
  checkout:
    cost: {perReplicaHour: 0.3}
workloads:
  - trace: {path: day.csv, format: tasks}
`;

  it("parseScenario(default, pattern, name) completes each entry by the default, key by key", () => {
    const scenario = load(text);
    expect(scenario.environments.map((env) => env.name)).to.deep.equal(["checkout"]);
    const [checkout] = scenario.environments;
    expect(checkout.cost).to.deep.equal({ perReplicaHour: 0.3, perGbHour: 0.05 });
    expect(checkout.coldStart.mean).to.equal(2);

    const [pattern] = scenario.environmentPatterns ?? [];
    expect(pattern.glob).to.equal("*-http");
    const policy = pattern.template.policy as ReusePolicy;
    expect([policy.minReplicas(), policy.maxReplicas(), policy.getIdleTtl()]).to.deep.equal([
      1, 8, 600,
    ]);
    const fallback = scenario.defaultEnvironment?.policy as ReusePolicy;
    expect(fallback.maxReplicas()).to.equal(4);
  });

  it("parseScenario(an entry without policy and no default) asks for the policy", () => {
    const message = failure(
      "environments: {api: {coldStart: {dist: constant, value: 1}}}\nworkloads:\n  - trace: {path: day.csv, format: tasks}\n",
    );
    expect(message).to.match(/:1:\d+: environments\.api: missing required key "policy"/);
  });

  it("parseScenario(a workload's env matched only by a pattern) is accepted", () => {
    const text2 = `horizon: 1h
environments: {"batch-*": {policy: {replicas: 1}}}
workloads:
  - {env: batch-nightly, arrivals: {process: poisson, rate: 1}, duration: {dist: constant, value: 1}}
`;
    expect((load(text2).workloads[0] as SyntheticWorkloadSpec).env).to.equal("batch-nightly");
  });
});

describe("loadScenario: arrival processes", () => {
  it("parseScenario(each process) resolves to rates per second and lengths in seconds", () => {
    const cases: [string, object][] = [
      ["{process: poisson, rate: 2}", { process: "poisson", rate: 2 }],
      [
        "{process: bursty, on: {rate: 50, meanSojourn: 30s}, off: {rate: 0.5, meanSojourn: 5m}}",
        {
          process: "bursty",
          on: { rate: 50, meanSojournSeconds: 30 },
          off: { rate: 0.5, meanSojournSeconds: 300 },
        },
      ],
      [
        "{process: diurnal, rate: 4, amplitude: 0.5, peakAt: 14h}",
        {
          process: "diurnal",
          shape: "sinusoidal",
          rate: 4,
          amplitude: 0.5,
          peakAtSeconds: 50400,
          periodSeconds: 86400,
        },
      ],
      [
        "{process: diurnal, profile: {18h: 5, 0h: 1, 8h: 20}, interpolation: step}",
        {
          process: "diurnal",
          shape: "piecewise",
          points: [
            { atSeconds: 0, rate: 1 },
            { atSeconds: 28800, rate: 20 },
            { atSeconds: 64800, rate: 5 },
          ],
          interpolation: "step",
          periodSeconds: 86400,
        },
      ],
      [
        "{process: periodic, every: 1h, batch: 20, jitter: 30s}",
        { process: "periodic", everySeconds: 3600, batch: 20, jitterSeconds: 30, offsetSeconds: 0 },
      ],
      [
        "{process: ramp, from: 1, to: 10, over: 30m}",
        { process: "ramp", fromRate: 1, toRate: 10, overSeconds: 1800 },
      ],
    ];
    for (const [spec, expected] of cases) {
      const workload = load(arrivals(spec)).workloads[0] as SyntheticWorkloadSpec;
      expect(workload.arrivals, spec).to.deep.equal(expected);
    }
  });

  it("parseScenario(a key another process takes) names the process and its keys", () => {
    expect(
      failure(
        arrivals(
          "{process: bursty, rate: 3, on: {rate: 1, meanSojourn: 1}, off: {rate: 0, meanSojourn: 1}}",
        ),
      ),
    ).to.match(
      /:4:\d+: workloads\[0\]\.arrivals\.rate: bursty arrivals do not take "rate"; they take on or off$/,
    );
    expect(failure(arrivals("{process: ramp, from: 1, to: 2}"))).to.match(
      /workloads\[0\]\.arrivals: ramp arrivals need "over"$/,
    );
    expect(failure(arrivals("{process: periodic, every: 1m, jitter: 2m}"))).to.match(
      /arrivals\.jitter: expected a jitter of at most the interval \(60 s\), so batches do not overlap, got "2m"$/,
    );
    expect(failure(arrivals("{process: periodic, every: 0.0000001}"))).to.match(
      /arrivals\.every: expected an interval of at least 1 microsecond \(the clock's tick\), got 1e-7$/,
    );
    expect(failure(arrivals("{process: periodic, every: 1ms, batch: 2000}"))).to.match(
      /arrivals\.batch: expected at most 1000000 tasks per second \(one a microsecond\); batch 2000 every 0\.001 s is 2000000 a second$/,
    );
    expect(failure(arrivals("{process: diurnal, profile: {25h: 1}}"))).to.match(
      /arrivals\.profile\["?25h"?\]: expected a time of day/,
    );
  });
});

describe("loadScenario: trace workloads", () => {
  const azure = (workload: string, environments = "{default: {policy: {replicas: [0, 2]}}}") =>
    `environments: ${environments}\nworkloads:\n  - ${workload}\n`;
  const folder = sharedData("azure2019-10fn");

  it("parseScenario(an azure2019 folder with every trace key) resolves them", () => {
    const workload = load(
      azure(
        `{trace: {path: "${folder}", format: azure2019, spread: even, memoryStat: p99}, mapping: {by: app, hashPrefix: 6, aliases: {734bb9a0: web}}, top: 3, from: 1h, to: 2h, load: 1.5, skipBadRows: true}`,
      ),
    ).workloads[0] as TraceWorkloadSpec;
    expect(workload).to.deep.equal({
      kind: "trace",
      path: folder,
      format: "azure2019",
      async: false,
      skipBadRows: true,
      mapping: { by: "app", hashPrefix: 6, aliases: { "734bb9a0": "web" } },
      top: 3,
      fromSeconds: 3600,
      toSeconds: 7200,
      load: 1.5,
      spread: "even",
      memoryStat: "p99",
    });
  });

  it("parseScenario(trace keys that do not fit) says which format or mapping they need", () => {
    const path2021 = sharedData("azure2021", "invocations-200.csv");
    expect(
      failure(azure(`{trace: {path: "${path2021}", format: azure2021, spread: even}}`)),
    ).to.match(/trace\.spread: "spread" applies to azure2019 traces only$/);
    expect(failure(azure(`{trace: {path: "${folder}", format: azure2019}, env: api}`))).to.match(
      /workloads\[0\]\.env: "env" applies to tasks and mapping by "all" traces only$/,
    );
    expect(failure(azure(`{trace: {path: day.csv, format: tasks}, mapping: {by: app}}`))).to.match(
      /mapping\.by: mapping\.by "app" needs a trace that records apps/,
    );
    expect(
      failure(
        azure(`{trace: {path: "${folder}", format: azure2019}}`, "{api: {policy: {replicas: 1}}}"),
      ),
    ).to.match(
      /workloads\[0\]: an azure2019 trace creates an environment per function or app, so the scenario needs environments\.default/,
    );
    expect(failure(azure(`{trace: {path: day.csv, format: tasks}, from: 2h, to: 1h}`))).to.match(
      /workloads\[0\]\.to: expected `to` after `from` \(7200 s\), got 3600 s$/,
    );
  });

  it("parseScenario(mapping: {aliases} without by) maps by function, the documented default", () => {
    const workload = load(
      azure(`{trace: {path: "${folder}", format: azure2019}, mapping: {aliases: {734bb9a0: web}}}`),
    ).workloads[0] as TraceWorkloadSpec;
    expect(workload.mapping).to.deep.equal({ by: "function", aliases: { "734bb9a0": "web" } });
  });

  it("parseScenario(--trace given, no ${TRACE} in the scenario) names the variable it did not use", () => {
    const text = azure(`{trace: {path: "${folder}", format: azure2019}}`);
    expect(() =>
      parseScenario(text, FILE, { variables: { TRACE: folder }, requiredVariables: ["TRACE"] }),
    ).to.throw(
      /: --trace was given, but the scenario uses no \$\{TRACE\} \(its trace paths: ".*azure2019-10fn"\); expected a trace path such as "\$\{TRACE\}", or no --trace$/,
    );
    // A variable passed without being required (--var, or the example catalogue's DATA) may go unused.
    expect(() => parseScenario(text, FILE, { variables: { TRACE: folder } })).not.to.throw();
  });

  it("parseScenario(${TRACE} in a trace path) takes it from the variables", () => {
    const scenario = parseScenario(azure(`{trace: {path: "\${TRACE}", format: azure2019}}`), FILE, {
      variables: { TRACE: folder },
    });
    expect((scenario.workloads[0] as TraceWorkloadSpec).path).to.equal(folder);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";

import { ReusePolicy } from "../../policies/reuse-policy.js";
import { makeSampler } from "../../sim/distributions.js";
import { isUserError, type ErrorCode } from "../../sim/errors.js";
import { RecordingLogger } from "../../sim/logger.js";
import { loadScenario, parseScenario } from "../../sim/load-scenario.js";
import { ScenarioSource } from "../../sim/scenario-source.js";
import type { Scenario, SyntheticWorkloadSpec, TraceWorkloadSpec } from "../../sim/scenario.js";

const EXAMPLE = `# yaml-language-server: $schema=./scenario.schema.json
name: steady-api
seed: 7
horizon: 2h
controlPeriod: 5s
timelineStep: 1m
environments:
  api:
    policy: {replicas: [2, 6], idle_ttl: 10m, concurrency: 4, scaledown_ttl: 2m}
    coldStart: {dist: lognormal, median: 20s, p99: 90s}
    firstTaskOverhead: 2s
    dispatchOverhead: 50ms
    cost: {perReplicaHour: 0.40}
workloads:
  - env: api
    arrivals: {process: poisson, rate: 3}
    duration: {dist: exponential, mean: 1.2s}
    async: true
  - trace: {path: traces/day.csv, format: tasks}
`;

/** A small valid scenario that the error cases below break one line at a time. */
const BASE = `horizon: 1h
environments:
  api:
    policy: {replicas: [1, 2], concurrency: 1}
  batch:
    policy: none
workloads:
  - env: api
    arrivals: {process: poisson, rate: 2}
    duration: {dist: exponential, mean: 1s}
`;

let folder: string;

function write(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

/** `line:col` (both from 1) of the first occurrence of `needle` in `text`. */
function at(text: string, needle: string): string {
  const offset = text.indexOf(needle);
  if (offset === -1) throw new Error(`test bug: ${needle} not in the scenario`);
  const before = text.slice(0, offset).split("\n");
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** The UserError `promise` rejects with, checked to be one line with the given code. */
async function userError(promise: Promise<unknown>, code: ErrorCode): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (!isUserError(error)) throw error;
    expect(error.code).to.equal(code);
    expect(error.message).not.to.include("\n");
    return error.message;
  }
  throw new Error("expected a UserError, got a scenario");
}

/** The scenario as plain data: policies and samplers by what they were made from. */
function plain(scenario: Scenario): unknown {
  return {
    ...scenario,
    environments: scenario.environments.map((environment) => ({
      ...environment,
      policy: environment.policy === "none" ? "none" : environment.policy.toJSON(),
      coldStart: environment.coldStart.spec,
    })),
    workloads: scenario.workloads.map((workload) =>
      workload.kind === "synthetic" ? { ...workload, duration: workload.duration.spec } : workload,
    ),
  };
}

function specOf(distribution: object): object {
  return makeSampler(distribution, "expected").spec;
}

describe("sim/load-scenario", () => {
  before(() => {
    folder = mkdtempSync(join(tmpdir(), "reuse-sim-load-scenario-"));
    mkdirSync(join(folder, "traces"));
    writeFileSync(join(folder, "traces", "day.csv"), "arrival,env,duration\n0,api,1\n");
  });

  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  describe("loadScenario(valid files)", () => {
    it("loadScenario(the full example) resolves every value to seconds, policies and samplers", async () => {
      const scenario = await loadScenario(write("steady-api.yaml", EXAMPLE));

      expect(scenario.name).to.equal("steady-api");
      expect(scenario.seed).to.equal(7);
      expect(scenario.horizonSeconds).to.equal(7200);
      expect(scenario.controlPeriodSeconds).to.equal(5);
      expect(scenario.timelineStepSeconds).to.equal(60);
      expect(scenario.baseDir).to.equal(folder);

      expect(scenario.environments).to.have.length(1);
      const [api] = scenario.environments;
      expect(api.name).to.equal("api");
      expect(api.policy).to.be.instanceOf(ReusePolicy);
      const policy = api.policy as ReusePolicy;
      expect([policy.minReplicas(), policy.maxReplicas()]).to.deep.equal([2, 6]);
      expect(policy.concurrency).to.equal(4);
      expect(policy.getIdleTtl()).to.equal(600);
      expect(policy.getScaledownTtl()).to.equal(120);
      expect(api.coldStart.spec).to.deep.equal(
        specOf({ dist: "lognormal", median: "20s", p99: "90s" }),
      );
      expect(api.firstTaskOverheadSeconds).to.equal(2);
      expect(api.dispatchOverheadSeconds).to.be.closeTo(0.05, 1e-12);
      expect(api.cost).to.deep.equal({ perReplicaHour: 0.4 });

      const [synthetic, trace] = scenario.workloads as [SyntheticWorkloadSpec, TraceWorkloadSpec];
      expect(synthetic.kind).to.equal("synthetic");
      expect(synthetic.env).to.equal("api");
      expect(synthetic.arrivals).to.deep.equal({ process: "poisson", rate: 3 });
      expect(synthetic.duration.spec).to.deep.equal(specOf({ dist: "exponential", mean: 1.2 }));
      expect(synthetic.async).to.equal(true);
      expect(trace).to.deep.equal({
        kind: "trace",
        path: join(folder, "traces", "day.csv"),
        format: "tasks",
        async: false,
      });
    });

    it("loadScenario(the example as JSON) gives the same scenario as the YAML", async () => {
      const json = {
        name: "steady-api",
        seed: 7,
        horizon: "2h",
        controlPeriod: "5s",
        timelineStep: "1m",
        environments: {
          api: {
            policy: { replicas: [2, 6], idle_ttl: "10m", concurrency: 4, scaledown_ttl: "2m" },
            coldStart: { dist: "lognormal", median: "20s", p99: "90s" },
            firstTaskOverhead: "2s",
            dispatchOverhead: "50ms",
            cost: { perReplicaHour: 0.4 },
          },
        },
        workloads: [
          {
            env: "api",
            arrivals: { process: "poisson", rate: 3 },
            duration: { dist: "exponential", mean: "1.2s" },
            async: true,
          },
          { trace: { path: "traces/day.csv", format: "tasks" } },
        ],
      };
      const fromJson = await loadScenario(write("steady-api.json", JSON.stringify(json, null, 2)));
      const fromYaml = await loadScenario(write("steady-api.yaml", EXAMPLE));

      expect(plain(fromJson)).to.deep.equal(plain(fromYaml));
    });

    it("loadScenario(a minimal file) fills in every default", async () => {
      const scenario = await loadScenario(write("minimal.yaml", BASE));

      expect(scenario.name).to.equal("minimal");
      expect(scenario.seed).to.equal(1);
      expect(scenario.controlPeriodSeconds).to.equal(5);
      // The horizon and api's idle_ttl (the default 30 s): 3630 s is 726 rows of 5 s, so 10 s.
      expect(scenario.timelineStepSeconds).to.equal(10, "(1h + 30 s) / 10 s = 363 rows");

      const [api, batch] = scenario.environments;
      expect(api.coldStart.spec).to.deep.equal(specOf({ dist: "constant", value: 0 }));
      expect(api.firstTaskOverheadSeconds).to.equal(0);
      expect(api.dispatchOverheadSeconds).to.equal(0);
      expect(api.cost).to.deep.equal({ perReplicaHour: 0 });
      expect(batch.policy).to.equal("none");
      expect((scenario.workloads[0] as SyntheticWorkloadSpec).async).to.equal(false);
    });

    it("loadScenario(horizons) picks the smallest round step giving at most 720 rows over the horizon and the longest idle_ttl", async () => {
      // BASE's api has the default idle_ttl of 30 s, counted in with the horizon.
      const steps: [string, number][] = [
        ["10s", 1],
        ["1h59m30s", 10],
        ["2h", 15],
        ["23h59m30s", 120],
        ["1d", 300],
        ["30d", 7200],
        ["1000d", 2 * 86400],
      ];
      for (const [horizon, step] of steps) {
        const path = write("steps.yaml", BASE.replace("horizon: 1h", `horizon: ${horizon}`));
        const scenario = await loadScenario(path);
        expect(scenario.timelineStepSeconds).to.equal(step, `horizon ${horizon}`);
      }
    });

    it("loadScenario(a long idle_ttl) counts the idle tail in the default timeline step", async () => {
      // 1 h of arrivals and a day of idle_ttl: 90000 s, 125 rows of 720 s... the smallest round
      // step within 720 rows is 300 s (300 rows); without the tail it would be 5 s.
      const text = BASE.replace("concurrency: 1}", "concurrency: 1, idle_ttl: 1d}");
      const scenario = await loadScenario(write("tail.yaml", text));
      expect(scenario.timelineStepSeconds).to.equal(300);
    });

    it("loadScenario(only trace workloads, no horizon) runs to the end of the traces", async () => {
      const text = `environments:
  api: {policy: none}
workloads:
  - {trace: {path: traces/day.csv, format: tasks}, env: api, async: true}
`;
      const scenario = await loadScenario(write("trace-only.yaml", text));

      expect(scenario.horizonSeconds).to.equal(Infinity);
      expect(scenario.timelineStepSeconds).to.equal(60);
      expect(scenario.workloads[0]).to.include({ kind: "trace", env: "api", async: true });
    });

    it("loadScenario(file, {seed}) overrides the file's seed", async () => {
      const scenario = await loadScenario(write("steady-api.yaml", EXAMPLE), { seed: 42 });
      expect(scenario.seed).to.equal(42);
    });

    it("loadScenario(${VAR} in a trace path) takes the variable from the options, then the environment", async () => {
      const text = EXAMPLE.replace("traces/day.csv", '"${TRACE_FOLDER}/day.csv"');
      const path = write("variables.yaml", text);
      const expected = join(folder, "traces", "day.csv");

      const fromOption = await loadScenario(path, { variables: { TRACE_FOLDER: "traces" } });
      expect((fromOption.workloads[1] as TraceWorkloadSpec).path).to.equal(expected);

      process.env.TRACE_FOLDER = join(folder, "traces");
      try {
        const fromEnvironment = await loadScenario(path);
        expect((fromEnvironment.workloads[1] as TraceWorkloadSpec).path).to.equal(expected);

        // Both given: the option wins over the environment.
        process.env.TRACE_FOLDER = join(folder, "elsewhere");
        const fromBoth = await loadScenario(path, { variables: { TRACE_FOLDER: "traces" } });
        expect((fromBoth.workloads[1] as TraceWorkloadSpec).path).to.equal(expected);
      } finally {
        delete process.env.TRACE_FOLDER;
      }
    });

    it("loadScenario(YAML merge keys) merges the anchored mappings, the entry's own keys first", async () => {
      // batch takes api's policy and its own cost; night takes batch's cost, the first source's.
      const text = BASE.replace(
        "  batch:\n    policy: none\n",
        "  batch: &batch\n    <<: *api\n    cost: {perReplicaHour: 3}\n  night:\n    <<: [*batch, *api]\n",
      )
        .replace("  api:\n", "  api: &api\n")
        .replace("concurrency: 1}", "concurrency: 1}\n    cost: {perReplicaHour: 0.5}");
      const scenario = await loadScenario(write("merge.yaml", text));

      const [api, batch, night] = scenario.environments;
      expect(batch.policy).to.deep.equal(api.policy);
      expect(night.policy).to.deep.equal(api.policy);
      expect([api, batch, night].map((env) => env.cost.perReplicaHour)).to.deep.equal([0.5, 3, 3]);
    });

    it("ScenarioSource.position(a merged field) is where the anchored mapping writes it", () => {
      const text = "a: &base\n  b: {c: 1}\nd:\n  e: 2\n  <<: [{f: 3}, *base]\n";
      const source = new ScenarioSource(text, "merge.yaml", new RecordingLogger());
      expect(source.position(["d", "b", "c"])).to.equal("merge.yaml:2:10");
      expect(source.position(["d", "f"])).to.equal("merge.yaml:5:12");
      expect(source.position(["d", "e"])).to.equal("merge.yaml:4:6");
    });

    it("loadScenario(a YAML warning) passes it to the logger with its position", async () => {
      const logger = new RecordingLogger();
      const path = write("tagged.yaml", `name: !custom tagged\n${BASE}`);

      await loadScenario(path, { logger });

      expect(logger.warnings).to.deep.equal([`${path}:1:7: YAML warning: Unresolved tag: !custom`]);
    });

    it("parseScenario(text, file) reads trace paths from the file's folder", () => {
      const scenario = parseScenario(EXAMPLE, join(folder, "not-written.yaml"));

      expect(scenario.name).to.equal("steady-api");
      expect(scenario.baseDir).to.equal(folder);
    });
  });

  describe("loadScenario(invalid files)", () => {
    it("loadScenario(a YAML syntax error) names the file, line and column", async () => {
      const text = BASE.replace("policy: none", "policy: {replicas: 2");
      const path = write("syntax.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.match(new RegExp(`^${escape(path)}:\\d+:\\d+: YAML syntax error: \\S`));
    });

    it("loadScenario(duplicate keys) is a YAML syntax error at the second key", async () => {
      const text = BASE.replace("  batch:", "  api:");
      const path = write("duplicate.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:5:3: YAML syntax error: Map keys must be unique (at "api:"); ` +
          "expected each key once in a mapping",
      );
    });

    it("loadScenario(a misspelt key) points at the key and suggests the closest known one", async () => {
      const text = BASE.replace("concurrency: 1", "concurency: 1");
      const path = write("typo.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:${at(text, "concurency")}: environments.api.policy.concurency: ` +
          'unknown key; did you mean "concurrency"?',
      );
    });

    it("loadScenario(an unknown key of poisson arrivals) suggests only the keys poisson takes", async () => {
      const text = BASE.replace("rate: 2", "rate: 2, onn: 3");
      const path = write("poisson-key.yaml", text);
      expect(await userError(loadScenario(path), "BAD_SCENARIO")).to.equal(
        `${path}:${at(text, "onn")}: workloads[0].arrivals.onn: unknown key; ` +
          "a poisson arrival process takes rate",
      );

      const periodic = BASE.replace(
        "process: poisson, rate: 2",
        "process: periodic, every: 1s, bach: 3",
      );
      const periodicPath = write("periodic-key.yaml", periodic);
      expect(await userError(loadScenario(periodicPath), "BAD_SCENARIO")).to.match(
        /arrivals\.bach: unknown key; did you mean "batch"\?$/,
      );
    });

    it("loadScenario(an unknown key of a distribution) suggests only the keys its dist takes", async () => {
      const text = BASE.replace("mean: 1s", "mean: 1s, valu: 2");
      const path = write("dist-key.yaml", text);
      expect(await userError(loadScenario(path), "BAD_SCENARIO")).to.equal(
        `${path}:${at(text, "valu")}: workloads[0].duration.valu: unknown key; ` +
          "an exponential distribution takes mean",
      );

      const lognormal = BASE.replace(
        "dist: exponential, mean: 1s",
        "dist: lognormal, mu: 0, sigm: 1",
      );
      const lognormalPath = write("lognormal-key.yaml", lognormal);
      expect(await userError(loadScenario(lognormalPath), "BAD_SCENARIO")).to.match(
        /duration\.sigm: unknown key; did you mean "sigma"\?$/,
      );
    });

    it("loadScenario(an unknown top-level key) is rejected", async () => {
      const text = `${BASE}horizn: 2h\n`;
      const path = write("top-level.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:${at(text, "horizn")}: horizn: unknown key; did you mean "horizon"?`,
      );
    });

    it("loadScenario(an unknown key far from any known one) lists the keys allowed there", async () => {
      const text = `${BASE}  - trace: {path: traces/day.csv, format: tasks}\n    arrivals: 3\n`;
      const path = write("trace-key.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:${at(text, "arrivals: 3")}: workloads[1].arrivals: unknown key; ` +
          "a trace workload takes trace, env, async, timeout, mapping, top, from, to, load or skipBadRows",
      );
    });

    it("loadScenario(an empty ${VAR}) says the variable is empty, not that the folder is no file", async () => {
      const text = EXAMPLE.replace("traces/day.csv", '"${TRACE}"');
      const path = write("empty-variable.yaml", text);

      const message = await userError(
        loadScenario(path, { variables: { TRACE: "" } }),
        "BAD_SCENARIO",
      );

      expect(message).to.equal(
        `${path}:${at(text, '"${TRACE}"')}: workloads[1].trace.path: variable TRACE is empty ` +
          '(used in "${TRACE}"); expected a path, or part of one',
      );
    });

    it("loadScenario(an alias before its anchor) points at the alias", async () => {
      const text = BASE.replace("rate: 2", "rate: *fast");
      const path = write("unresolved-alias.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:${at(text, "*fast")}: YAML error: the alias *fast comes before any anchor ` +
          "&fast; expected each alias (*name) after the anchor (&name) it refers to",
      );
    });

    it("loadScenario(a key that is a list) is one line at the key, and nothing on stderr", async () => {
      const text = BASE.replace("  batch:\n", "  ? [a, b]\n  : 1\n  batch:\n");
      const path = write("complex-key.yaml", text);
      const emitted: unknown[] = [];
      const emitWarning = process.emitWarning;
      process.emitWarning = (warning: string | Error) => void emitted.push(warning);
      try {
        const message = await userError(loadScenario(path), "BAD_SCENARIO");
        expect(message).to.equal(
          `${path}:${at(text, "[a, b]")}: YAML error: a key that is a list or a mapping ` +
            '("[a, b]"); expected a plain key, such as a name',
        );
      } finally {
        process.emitWarning = emitWarning;
      }
      expect(emitted).to.deep.equal([]);
    });

    it("loadScenario(a merge key of a number) points at the number", async () => {
      const text = BASE.replace("  batch:\n", "  batch:\n    <<: [*api, 3]\n").replace(
        "  api:\n",
        "  api: &api\n",
      );
      const path = write("merge-number.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:${at(text, "3]")}: YAML error: "3" cannot be merged; expected a merge key (<<) ` +
          "to take a mapping, an alias to one (*name) or a list of those",
      );
    });

    it("loadScenario(a string where a number goes) names the field and quotes the value", async () => {
      const text = BASE.replace("rate: 2", 'rate: "fast"');
      const path = write("type.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:${at(text, '"fast"')}: workloads[0].arrivals.rate: expected a number, got "fast"`,
      );
    });

    it("loadScenario(a list where a duration goes) says a duration is a number or a string", async () => {
      const text = BASE.replace("horizon: 1h", "horizon: [1, 2]");
      const path = write("duration-type.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:1:10: horizon: expected a number of seconds or a duration string, got [1,2]`,
      );
    });

    it("loadScenario(a negative rate) gives the bound and the value", async () => {
      const text = BASE.replace("rate: 2", "rate: -3");
      const path = write("rate.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:${at(text, "-3")}: workloads[0].arrivals.rate: expected a number > 0, got -3`,
      );
    });

    it("loadScenario(rate 1e400) quotes the number as written, not as Infinity", async () => {
      const text = BASE.replace("rate: 2", "rate: 1e400");
      const path = write("infinite-rate.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:${at(text, "1e400")}: workloads[0].arrivals.rate: expected a number, got 1e400, ` +
          "a number too large (Infinity)",
      );
    });

    it("loadScenario(a JSON file with -1e400, and a YAML alias to 1e400) quotes what was written", async () => {
      const environments = { api: { policy: "none" } };
      const json = JSON.stringify({ horizon: "1h", environments, workloads: [] });
      const jsonPath = write("infinite.json", json.replace('"1h"', "-1e400"));
      const jsonMessage = await userError(loadScenario(jsonPath), "BAD_SCENARIO");
      expect(jsonMessage).to.equal(
        `${jsonPath}:1:12: horizon: expected a number of seconds or a duration string, got ` +
          "-1e400, a number too large in magnitude (-Infinity)",
      );

      const text = BASE.replace("horizon: 1h", "horizon: &big 1E+400").replace(
        "rate: 2",
        "rate: *big",
      );
      const yamlMessage = await userError(loadScenario(write("alias.yaml", text)), "BAD_SCENARIO");
      expect(yamlMessage).to.contain(
        "horizon: expected a number of seconds or a duration string, got 1E+400, a number too large (Infinity)",
      );
    });

    it("loadScenario(a policy that is neither none nor an object) says what a policy is", async () => {
      const text = BASE.replace("policy: none", "policy: nothing");
      const path = write("policy-type.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:${at(text, "nothing")}: environments.batch.policy: ` +
          'expected "none" or a policy object, got "nothing"',
      );
    });

    it("loadScenario(a bad replica count) reports the element inside the list", async () => {
      const text = BASE.replace("replicas: [1, 2]", "replicas: [1, two]");
      const path = write("replicas-type.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:${at(text, "two")}: environments.api.policy.replicas[1]: ` +
          'expected a number, got "two"',
      );
    });

    it("loadScenario(a missing required key) names the key and the mapping", async () => {
      const text = BASE.replace("    arrivals: {process: poisson, rate: 2}\n", "");
      const path = write("missing.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:${at(text, "env: api")}: workloads[0]: missing required key "arrivals"`,
      );
    });

    it("loadScenario(no environments) asks for at least one", async () => {
      const text = "horizon: 1h\nenvironments: {}\nworkloads: []\n";
      const path = write("empty.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:2:15: environments: expected at least one environment, got none`,
      );
    });

    it("loadScenario(an empty file) says what a scenario must hold", async () => {
      const path = write("blank.yaml", "");

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:1:1: expected a scenario: a mapping with at least environments and workloads, ` +
          "got an empty file",
      );
    });

    it("loadScenario(a workload naming an undefined environment) lists the defined ones and suggests one", async () => {
      const text = BASE.replace("env: api", "env: apii");
      const path = write("env.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:${at(text, "apii")}: workloads[0].env: no environment named "apii"; ` +
          'did you mean "api"? (defined: api, batch)',
      );
    });

    it("loadScenario(a trace workload naming an undefined environment) is rejected too", async () => {
      const text = `${BASE}  - {trace: {path: traces/day.csv, format: tasks}, env: web}\n`;
      const path = write("trace-env.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:${at(text, "web")}: workloads[1].env: no environment named "web" ` +
          "(defined: api, batch)",
      );
    });

    it("loadScenario(an environment name that is not an identifier) brackets it in the field", async () => {
      const text = BASE.replace(
        "  batch:\n    policy: none",
        '  "batch jobs":\n    policy: nothing',
      );
      const path = write("spaced.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:${at(text, "nothing")}: environments["batch jobs"].policy: ` +
          'expected "none" or a policy object, got "nothing"',
      );
    });

    it("loadScenario(an unknown dist) suggests the closest known distribution", async () => {
      const text = BASE.replace("dist: exponential", "dist: exponental");
      const path = write("dist.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.match(
        new RegExp(
          `^${escape(path)}:${at(text, "exponental")}: workloads\\[0\\]\\.duration\\.dist: ` +
            'unknown value "exponental"; did you mean "exponential"\\? expected "constant", ',
        ),
      );
    });

    it('loadScenario(horizon: "5 minutes") is a BAD_DURATION at the horizon', async () => {
      const text = BASE.replace("horizon: 1h", "horizon: 5 minutes");
      const path = write("horizon.yaml", text);

      const message = await userError(loadScenario(path), "BAD_DURATION");

      expect(message.startsWith(`${path}:1:10: `)).to.equal(true, message);
      expect(message).to.include("horizon").and.to.include('"5 minutes"');
    });

    it("loadScenario(horizon: 0) asks for a horizon more than 0", async () => {
      const text = BASE.replace("horizon: 1h", "horizon: 0");
      const path = write("horizon-zero.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(`${path}:1:10: horizon: expected a duration more than 0, got 0`);
    });

    it("loadScenario(no horizon with a synthetic workload) names the workload that needs it", async () => {
      const text = BASE.replace("horizon: 1h\n", "");
      const path = write("no-horizon.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:1:1: horizon: missing; it is required because workloads[0] is synthetic ` +
          "(its arrivals stop at the horizon)",
      );
    });

    it("loadScenario(replicas: [5, 2]) passes on the policy's error at the replicas", async () => {
      const text = BASE.replace("replicas: [1, 2]", "replicas: [5, 2]");
      const path = write("replicas.yaml", text);

      const message = await userError(loadScenario(path), "BAD_POLICY");

      expect(message.startsWith(`${path}:${at(text, "[5, 2]")}: `)).to.equal(true, message);
      expect(message).to.include("environments.api.policy");
    });

    it("loadScenario(a missing trace file) names the workload field and the path", async () => {
      const text = `${BASE}  - trace: {path: traces/night.csv, format: tasks}\n`;
      const path = write("no-trace.yaml", text);

      const message = await userError(loadScenario(path), "FILE_NOT_FOUND");

      expect(message).to.equal(
        `${path}:${at(text, "traces/night.csv")}: workloads[1].trace.path: no such file ` +
          `"traces/night.csv" (looked for ${join(folder, "traces", "night.csv")}); ` +
          "expected the path of a trace file, relative to the scenario's folder",
      );
    });

    it("loadScenario(a trace path that is a folder) says it is not a regular file", async () => {
      const text = `${BASE}  - trace: {path: traces, format: tasks}\n`;
      const path = write("trace-folder.yaml", text);

      const message = await userError(loadScenario(path), "FILE_NOT_FOUND");

      expect(message).to.include("workloads[1].trace.path").and.to.include("not a regular file");
    });

    it("loadScenario(an unset ${VAR} in a trace path) names the variable", async () => {
      const text = `${BASE}  - trace: {path: "\${NO_SUCH_VARIABLE}/day.csv", format: tasks}\n`;
      const path = write("variable.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:${at(text, '"${NO')}: workloads[1].trace.path: variable NO_SUCH_VARIABLE is ` +
          'not set (used in "${NO_SUCH_VARIABLE}/day.csv"); pass it as a variable ' +
          "(--var NO_SUCH_VARIABLE=VALUE) or set it in the environment",
      );
    });

    it("loadScenario(a path that does not exist) is FILE_NOT_FOUND", async () => {
      const path = join(folder, "absent.yaml");

      const message = await userError(loadScenario(path), "FILE_NOT_FOUND");

      expect(message).to.equal(
        `${path}: no such file; expected a scenario file (.yaml, .yml or .json)`,
      );
    });

    it("loadScenario(a directory) asks for a scenario file", async () => {
      const message = await userError(loadScenario(folder), "FILE_NOT_FOUND");

      expect(message).to.equal(
        `${folder}: is a directory, expected a scenario file (.yaml, .yml or .json)`,
      );
    });

    it("loadScenario(file, {seed: -1}) rejects the option", async () => {
      const path = write("minimal.yaml", BASE);

      const message = await userError(loadScenario(path, { seed: -1 }), "BAD_OPTION");

      expect(message).to.equal("seed: expected an integer >= 0, got -1");
    });

    it("loadScenario(sync tasks on concurrency 4) is the SDK's declaration error", async () => {
      const text = BASE.replace("concurrency: 1", "concurrency: 4");
      const path = write("sync.yaml", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.match(new RegExp(`^${escape(path)}:\\d+:\\d+: workloads\\[0\\]`));
      expect(message).to.include('environment "api" has concurrency 4');
      expect(message).to.include("async: true");
    });

    it("loadScenario(async: true on concurrency 4) is accepted", async () => {
      const text = BASE.replace("concurrency: 1", "concurrency: 4") + "    async: true\n";
      const scenario = await loadScenario(write("async.yaml", text));
      expect((scenario.workloads[0] as SyntheticWorkloadSpec).async).to.equal(true);
    });

    it("loadScenario(fanout and timeout) resolves the children's block", async () => {
      const text =
        BASE +
        "    timeout: 10m\n" +
        "    fanout: {env: batch, count: 3, waves: 2, depth: 2, tail: 5s,\n" +
        "             duration: {dist: constant, value: 30s}}\n";
      const workload = (await loadScenario(write("fanout.yaml", text)))
        .workloads[0] as SyntheticWorkloadSpec;

      expect(workload.timeoutSeconds).to.equal(600);
      const fanout = workload.fanout;
      expect(fanout).to.deep.include({
        env: "batch",
        count: 3,
        waves: 2,
        depth: 2,
        tailSeconds: 5,
      });
      expect(fanout?.duration.mean).to.equal(30);
    });

    it("loadScenario(a trace workload with a timeout) resolves it; 0 is refused", async () => {
      const text = `environments:
  api: {policy: none}
workloads:
  - {trace: {path: traces/day.csv, format: tasks}, env: api, timeout: 2m}
`;
      const scenario = await loadScenario(write("trace-timeout.yaml", text));
      expect(scenario.workloads[0]).to.include({ kind: "trace", timeoutSeconds: 120 });

      const zero = write("trace-timeout-0.yaml", text.replace("2m", "0"));
      const message = await userError(loadScenario(zero), "BAD_SCENARIO");
      expect(message).to.include("workloads[0].timeout");
    });

    it("loadScenario(fanout into an undefined environment) suggests the closest", async () => {
      const text =
        BASE + "    fanout: {env: btch, count: 1, duration: {dist: constant, value: 1}}\n";
      const message = await userError(loadScenario(write("fanout-env.yaml", text)), "BAD_SCENARIO");
      expect(message).to.include('workloads[0].fanout.env: no environment named "btch"');
      expect(message).to.include('did you mean "batch"?');
    });

    it("loadScenario(an error in a JSON file) points at the JSON line and column", async () => {
      const text =
        '{\n  "horizon": "1h",\n  "environments": {"api": {"policy": "none"}},\n  "workloads": [\n    {"env": "api", "arrivals": {"process": "poisson", "rate": true}, "duration": {"dist": "constant", "value": 1}}\n  ]\n}\n';
      const path = write("bad.json", text);

      const message = await userError(loadScenario(path), "BAD_SCENARIO");

      expect(message).to.equal(
        `${path}:${at(text, "true")}: workloads[0].arrivals.rate: expected a number, got true`,
      );
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { lintMessages } from "../../policies/lint.js";
import { cli } from "./io.js";

let folder: string;

/** One environment and one workload; the parts each rule needs are passed in. */
function scenario(policy: string, workload = "", environments = ""): string {
  return `horizon: 1h
environments:
  pool:
    policy: ${policy}
${environments}workloads:
  - env: pool
    arrivals: {process: poisson, rate: 0.5}
    duration: {dist: constant, value: 1s}
${workload}`;
}

async function lint(name: string, text: string) {
  const path = join(folder, name);
  writeFileSync(path, text);
  const result = await cli("lint", path, "--json");
  const report = JSON.parse(result.stdout);
  return { code: result.code, report, rules: report.findings.map((f: { rule: string }) => f.rule) };
}

describe("reuse-sim lint", () => {
  before(() => {
    folder = mkdtempSync(join(tmpdir(), "reuse-sim-lint-"));
  });

  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it("reuse-sim lint <clean scenario> finds nothing and exits 0", async () => {
    const { code, report } = await lint(
      "clean.yaml",
      scenario("{replicas: [0, 3], idle_ttl: 10m, scaledown_ttl: 1m}"),
    );
    expect(code).to.equal(0);
    expect(report).to.deep.include({ errors: 0, warnings: 0, findings: [] });
  });

  it("reuse-sim lint: the SDK's warning for max 1 and concurrency 1 (a warning, exit 0)", async () => {
    const { code, report } = await lint("single.yaml", scenario("{replicas: 1}"));
    expect(code).to.equal(0);
    expect(report.findings[0]).to.deep.include({
      level: "warning",
      rule: "policy",
      field: "environments.pool.policy.replicas",
    });
    expect(report.findings[0].at).to.match(/single\.yaml:4:\d+$/);
  });

  it("reuse-sim lint: what the SDK silently accepts is an error, flagged as such (exit 1)", async () => {
    const { code, report } = await lint("minmax.yaml", scenario("{replicas: [5, 2]}"));
    expect(code).to.equal(1);
    const finding = report.findings.find((f: { field: string }) => f.field.endsWith("replicas"));
    expect(finding).to.deep.include({ level: "error", sdkAccepts: true });
    expect(finding.message).to.include("the Flyte SDK accepts this silently");
  });

  it("reuse-sim lint: the SDK's own check (idle_ttl under 30 s) is an error it does not accept", async () => {
    const { code, report } = await lint("ttl.yaml", scenario("{replicas: 2, idle_ttl: 10}"));
    expect(code).to.equal(1);
    expect(report.findings[0]).to.deep.include({ level: "error", sdkAccepts: false });
  });

  it("reuse-sim lint: sync tasks on concurrency > 1 is an error", async () => {
    const { code, rules } = await lint("sync.yaml", scenario("{replicas: 2, concurrency: 4}"));
    expect(code).to.equal(1);
    expect(rules).to.deep.equal(["sync-concurrency"]);
  });

  it("reuse-sim lint: idle_ttl <= scaledown_ttl warns that scale-down never acts", async () => {
    const never = await lint(
      "never.yaml",
      scenario("{replicas: [0, 3], idle_ttl: 1m, scaledown_ttl: 5m}"),
    );
    expect(never.rules).to.deep.equal(["scaledown-never-acts"]);
    const fixed = await lint(
      "fixed.yaml",
      scenario("{replicas: 3, idle_ttl: 1m, scaledown_ttl: 5m}"),
    );
    expect(fixed.rules).to.deep.equal([]); // a fixed pool never scales down anyway
  });

  it("reuse-sim lint: a min that idle_ttl makes pointless for the workload's gaps", async () => {
    // 0.5 tasks/s with idle_ttl 60 s: P(gap > 60 s) = exp(-30), tiny: min is kept. At 0.005/s,
    // exp(-0.3) = 74% of the gaps outlast idle_ttl: the environment is torn down in between.
    const busy = await lint("busy.yaml", scenario("{replicas: [2, 3], idle_ttl: 1m}"));
    expect(busy.rules).to.deep.equal([]);
    const sparse = await lint(
      "sparse.yaml",
      scenario("{replicas: [2, 3], idle_ttl: 1m}").replace("rate: 0.5", "rate: 0.005"),
    );
    expect(sparse.rules).to.deep.equal(["min-pointless"]);
    expect(sparse.report.findings[0].message).to.include("74%");
  });

  it("reuse-sim lint: a control period longer than a TTL warns that removals come late", async () => {
    const late = await lint(
      "late.yaml",
      `controlPeriod: 2h\n${scenario("{replicas: [1, 3], idle_ttl: 10m, scaledown_ttl: 1m}")}`,
    );
    expect(late.code).to.equal(0);
    expect(late.rules).to.deep.equal(["control-period"]);
    expect(late.report.findings[0].message).to.include("longer than the scaledown_ttl");
    const prompt = await lint(
      "prompt.yaml",
      `controlPeriod: 1m\n${scenario("{replicas: [1, 3], idle_ttl: 10m, scaledown_ttl: 1m}")}`,
    );
    expect(prompt.rules).to.deep.equal([]);
  });

  it("reuse-sim lint: a load that reaches the pool's max slots warns of overload", async () => {
    // 0.5 tasks/s of 1 s keep 0.5 slots busy; 3 slots at most: fine. At 5/s of 1 s: 5 >= 3.
    const fine = await lint("fine.yaml", scenario("{replicas: [1, 3], idle_ttl: 10m}"));
    expect(fine.rules).to.deep.equal([]);
    const over = await lint(
      "over.yaml",
      scenario("{replicas: [1, 3], idle_ttl: 10m}").replace("rate: 0.5", "rate: 5"),
    );
    expect(over.code).to.equal(0);
    expect(over.rules).to.deep.equal(["overload"]);
    expect(over.report.findings[0].message).to.include("keep 5 slots busy on average");
    expect(over.report.findings[0].message).to.include("it has 3 slots at most");
  });

  it("reuse-sim lint: parents whose children queue in a one-slot environment certainly starve", async () => {
    const fanout =
      "    timeout: 10m\n    fanout: {count: 3, duration: {dist: constant, value: 5s}}\n";
    const { code, report, rules } = await lint("starve.yaml", scenario("{replicas: 1}", fanout));
    expect(code).to.equal(1);
    expect(rules).to.deep.equal(["policy", "starvation-risk"]);
    expect(report.findings[1].level).to.equal("error");
    expect(report.findings[1].message).to.include("remedies: more replicas");
  });

  it("reuse-sim lint: with more slots it is a risk, with its likelihood; children elsewhere are not", async () => {
    const fanout = "    fanout: {count: 3, duration: {dist: constant, value: 5s}}\n";
    const risk = await lint("risk.yaml", scenario("{replicas: [1, 2], idle_ttl: 1m}", fanout));
    expect(risk.code).to.equal(0);
    expect(risk.rules).to.deep.equal(["starvation-risk"]);
    expect(risk.report.findings[0].level).to.equal("warning");
    expect(risk.report.findings[0].message).to.match(/in flight (about|less)/);

    const elsewhere = await lint(
      "elsewhere.yaml",
      scenario(
        "{replicas: 1}",
        "    fanout: {env: work, count: 3, duration: {dist: constant, value: 5s}}\n",
        "  work:\n    policy: {replicas: [1, 2], idle_ttl: 1m}\n",
      ),
    );
    expect(elsewhere.rules).to.deep.equal(["policy"]); // only the SDK's single-slot warning
  });

  it("reuse-sim lint: the risk's likelihood is the Poisson tail of roots in flight (M/G/infinity)", async () => {
    // 2 slots, 1 waiting parent per root: starving takes 2 roots in flight. A root lives at most
    // its own 1 s plus its 3 children of 5 s one after another: 16 s. Roots arrive at 0.05/s, so
    // the roots in flight are Poisson with mean 0.05 x 16 = 0.8, and P(N >= 2) =
    // 1 - e^-0.8 (1 + 0.8) = 0.191: "about 19%". At 0.5/s the mean is 8: 1 - 9 e^-8 = 0.997.
    const fanout = "    fanout: {count: 3, duration: {dist: constant, value: 5s}}\n";
    const at = (rate: string) =>
      scenario("{replicas: [1, 2], idle_ttl: 1m}", fanout).replace("rate: 0.5", `rate: ${rate}`);
    const tail = (mean: number) => 1 - Math.exp(-mean) * (1 + mean);
    expect(Math.round(tail(0.8) * 100)).to.equal(19);
    expect(Math.round(tail(8) * 100)).to.equal(100);

    const sparse = await lint("sparse-roots.yaml", at("0.05"));
    expect(sparse.report.findings[0].message).to.include("about 19% of the time");
    const busy = await lint("busy-roots.yaml", at("0.5"));
    expect(busy.report.findings[0].message).to.include("about 100% of the time");
  });

  it("reuse-sim lint: one root whose nested parents fill every slot certainly starves (depth 2)", async () => {
    // replicas 3: the root and its 2 children (parents at depth 2) hold all 3 slots while the
    // grandchildren queue. With 4 replicas one root cannot fill them: a risk, not an error.
    const fanout = "    fanout: {count: 2, depth: 2, duration: {dist: constant, value: 5s}}\n";
    const full = await lint("deep.yaml", scenario("{replicas: 3, idle_ttl: 1m}", fanout));
    expect(full.code).to.equal(1);
    expect(full.rules).to.deep.equal(["starvation-risk"]);
    expect(full.report.findings[0].level).to.equal("error");
    expect(full.report.findings[0].message).to.include("one root task alone has 3 parents");

    const roomy = await lint("roomy.yaml", scenario("{replicas: 4, idle_ttl: 1m}", fanout));
    expect(roomy.code).to.equal(0);
    expect(roomy.report.findings.map((f: { level: string }) => f.level)).to.deep.equal(["warning"]);
    expect(roomy.report.findings[0].message).to.include("2 root tasks in flight at once");
  });

  it("reuse-sim lint: a periodic batch of roots that fills every slot certainly starves", async () => {
    const periodic = (batch: number) =>
      scenario(
        "{replicas: 4, idle_ttl: 1h}",
        "    fanout: {count: 1, duration: {dist: constant, value: 5s}}\n",
      ).replace("{process: poisson, rate: 0.5}", `{process: periodic, every: 1h, batch: ${batch}}`);
    const four = await lint("batch4.yaml", periodic(4));
    expect(four.code).to.equal(1);
    expect(four.report.findings[0].message).to.include("root tasks arrive 4 at a time");

    // 3 roots hold 3 of the 4 slots; batches an hour apart never overlap.
    const three = await lint("batch3.yaml", periodic(3));
    expect(three.code).to.equal(0);
    expect(three.report.findings[0]).to.deep.include({ level: "warning", rule: "starvation-risk" });
    expect(three.report.findings[0].message).to.include("never if roots end within");
  });

  it("reuse-sim lint: a root in another environment waits without starving its own", async () => {
    // The root runs in "drivers" (1 slot) and its children in pool: at depth 1 no parent waits in
    // pool; at depth 2 the children do, 3 of them per root in pool's 2 slots: certain.
    const elsewhere = (depth: number) =>
      scenario(
        "{replicas: 2, idle_ttl: 1m}",
        `    fanout: {env: pool, count: 3, depth: ${depth}, duration: {dist: constant, value: 5s}}\n`,
        "  drivers:\n    policy: {replicas: [1, 2], idle_ttl: 1m}\n",
      ).replace("  - env: pool\n", "  - env: drivers\n");
    expect((await lint("shallow.yaml", elsewhere(1))).rules).to.deep.equal([]);
    const deep = await lint("deeper.yaml", elsewhere(2));
    expect(deep.code).to.equal(1);
    expect(deep.report.findings[0].message).to.include("one root task alone has 3 parents");
  });

  it("reuse-sim lint: sync children sent to an environment with concurrency > 1 is an error", async () => {
    const children = (extra: string) =>
      scenario(
        "{replicas: 2}",
        `    async: false\n    fanout: {env: work, count: 2, duration: {dist: constant, value: 1s}${extra}}\n`,
        "  work:\n    policy: {replicas: 2, concurrency: 4}\n",
      );
    const sync = await lint("sync-children.yaml", children(""));
    expect(sync.code).to.equal(1);
    expect(sync.report.findings).to.have.length(1);
    expect(sync.report.findings[0]).to.deep.include({
      rule: "sync-concurrency",
      field: "workloads[0].fanout.env",
    });
    const asyncChildren = await lint("async-children.yaml", children(", async: true"));
    expect(asyncChildren.code).to.equal(0);
    expect(asyncChildren.rules).to.deep.equal([]);
  });

  it("reuse-sim lint: a trace of sync tasks on concurrency > 1 is an error finding (exit 1), not a load error", async () => {
    writeFileSync(join(folder, "day.csv"), "arrival,duration,env\n0,1,api\n");
    const replay = (environments: string, workload: string) =>
      `environments:\n${environments}workloads:\n  - trace: {path: day.csv, format: tasks}\n${workload}`;

    // Into the environments a template creates: the workload's async is at fault.
    const templated = await lint(
      "sync-trace.yaml",
      replay("  default:\n    policy: {replicas: 2, concurrency: 4}\n", ""),
    );
    expect(templated.code).to.equal(1);
    expect(templated.report.findings).to.have.length(1);
    expect(templated.report.findings[0]).to.deep.include({
      level: "error",
      rule: "sync-concurrency",
      field: "workloads[0].async",
      message:
        'a trace of sync tasks (async: false) into the environments that "default" creates, whose concurrency is 4: only async tasks can share a replica; the Flyte SDK rejects this when the task is declared',
    });

    // Into the workload's env, whose concurrency comes from the default it is completed by.
    const named = await lint(
      "sync-trace-env.yaml",
      replay(
        "  default:\n    policy: {replicas: 2, concurrency: 4}\n  api: {}\n",
        "    env: api\n",
      ),
    );
    expect(named.code).to.equal(1);
    expect(named.report.findings[0]).to.deep.include({
      rule: "sync-concurrency",
      field: "workloads[0].async",
      message: lintMessages.syncConcurrency("api", 4),
    });

    const asyncTrace = await lint(
      "async-trace.yaml",
      replay("  default:\n    policy: {replicas: 2, concurrency: 4}\n", "    async: true\n"),
    );
    expect(asyncTrace.code).to.equal(0);
    expect(asyncTrace.rules).to.deep.equal([]);
  });

  it("reuse-sim lint prints one line per finding and a count without --json", async () => {
    const path = join(folder, "human.yaml");
    writeFileSync(path, scenario("{replicas: [5, 2]}"));
    const result = await cli("lint", path);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.match(
      /human\.yaml:4:\d+: error: environments\.pool\.policy\.replicas: /,
    );
    expect(result.stdout.trim().split("\n").pop()).to.match(/1 error, 0 warnings$/);
  });

  it("reuse-sim lint <unreadable scenario> is a user error (exit 2)", async () => {
    const result = await cli("lint", join(folder, "missing.yaml"));
    expect(result.code).to.equal(2);
  });
});

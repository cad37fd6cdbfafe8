import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
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

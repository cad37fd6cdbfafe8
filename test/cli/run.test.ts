import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { readAll } from "./files.js";
import { cli, cliProcess } from "./io.js";

const DEFAULT_SCENARIO = "scenarios/steady-api.yaml";

let folder: string;

function write(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

/** A CSV without quoted fields (as tasks.csv and timeline.csv are here), as records by header. */
function csvRecords(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split("\n");
  const names = header.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [names[i], v])));
}

function read(dir: string, name: string): string {
  return readFileSync(join(dir, name), "utf8");
}

/** A two-hour workload with a fixed seed, under the given policy line. */
const scenarioWith = (policy: string) => `name: determinism
seed: 3
horizon: 30m
environments:
  api:
    policy: ${policy}
    coldStart: {dist: lognormal, median: 5s, p99: 40s}
    cost: {perReplicaHour: 2}
workloads:
  - env: api
    arrivals: {process: poisson, rate: 1.5}
    duration: {dist: lognormal, median: 1s, p99: 8s}
`;

describe("reuse-sim run", function () {
  this.timeout(60_000);

  before(() => {
    folder = mkdtempSync(join(tmpdir(), "reuse-sim-run-"));
  });

  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it("reuse-sim run <12 environments> shows the 8 costliest, then the total, and says 4 are left out", async () => {
    // Environment eNN gets a task of NN minutes every minute, so it needs about NN replicas and
    // its cost rises with NN: e05 to e12 are shown.
    const workloads = Array.from({ length: 12 }, (_, i) => {
      const n = String(i + 1).padStart(2, "0");
      return `  - env: e${n}\n    arrivals: {process: periodic, every: 1m}\n    duration: {dist: constant, value: ${n}m}\n`;
    });
    const path = write(
      "many.yaml",
      `horizon: 1h\nenvironments:\n  default:\n    policy: {replicas: [0, 20], idle_ttl: 1m, scaledown_ttl: 1m}\n    cost: {perReplicaHour: 1}\nworkloads:\n${workloads.join("")}`,
    );
    const result = await cli("run", path);
    expect(result.code, result.stderr).to.equal(0);
    const head = result.stdout
      .split("\n")[2]
      .split("│")
      .map((cell) => cell.trim());
    expect(head.slice(2, -1)).to.deep.equal([
      "e12",
      "e11",
      "e10",
      "e09",
      "e08",
      "e07",
      "e06",
      "e05",
      "total",
    ]);
    expect(result.stdout).to.include("4 more environments are left out of the table");
  });

  it("reuse-sim run prints '-' for the waits of an environment where no task started", async () => {
    const path = write(
      "idle.yaml",
      `horizon: 10m\nenvironments:\n  used:\n    policy: {replicas: 1}\n  unused:\n    policy: {replicas: 1}\nworkloads:\n  - env: used\n    arrivals: {process: periodic, every: 1m}\n    duration: {dist: constant, value: 1s}\n`,
    );
    const result = await cli("run", path);
    expect(result.code, result.stderr).to.equal(0);
    const row = result.stdout.split("\n").find((line) => line.includes("wait p50 / p90 / p99"));
    const cells = (row as string).split("│").map((cell) => cell.trim());
    expect(cells.slice(2, 5)).to.deep.equal([
      "0.000 / 0.000 / 0.000",
      "- / - / -",
      "0.000 / 0.000 / 0.000",
    ]);
  });

  it("reuse-sim run <default scenario> prints a summary table and exits 0", async () => {
    const result = await cli("run", DEFAULT_SCENARIO);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.include("steady-api (seed 7)");
    expect(result.stdout).to.include("wait p50 / p90 / p99 (s)");
    expect(result.stderr).to.equal("");
  });

  it("reuse-sim run --out --report writes the run's files, report.html, report.md and charts/, byte-identical from two processes", async () => {
    const path = write("determinism.yaml", scenarioWith("{replicas: [1, 4], idle_ttl: 2m}"));
    const first = join(folder, "first");
    const second = join(folder, "second");

    // Two processes side by side: nothing may hang on a process's clock, state or render order.
    const runs = await Promise.all(
      [first, second].map((out) => cliProcess("run", path, "--out", out, "--quiet", "--report")),
    );
    for (const run of runs) expect(run.code, run.stderr).to.equal(0);

    const [firstFiles, secondFiles] = [await readAll(first), await readAll(second)];
    const charts = [...firstFiles.keys()].filter((name) => name.startsWith("charts/"));
    expect([...firstFiles.keys()]).to.deep.equal([
      ...charts,
      "report.html",
      "report.md",
      "scenario.json",
      "summary.json",
      "tasks.csv",
      "timeline.csv",
    ]);
    expect(charts.filter((name) => name.endsWith(".png")).length).to.be.at.least(4);
    expect([...secondFiles.keys()]).to.deep.equal([...firstFiles.keys()]);
    for (const [name, bytes] of firstFiles) {
      expect(bytes.equals(secondFiles.get(name) as Buffer), name).to.equal(true);
    }

    const summary = JSON.parse(read(first, "summary.json"));
    expect(summary.scenario).to.equal("determinism");
    expect(summary.seed).to.equal(3);
    // One tasks.csv row per arrived task, plus the header.
    expect(read(first, "tasks.csv").trim().split("\n")).to.have.length(
      summary.total.tasks.arrived + 1,
    );
  });

  it("reuse-sim run --seed gives another run, reproducibly", async () => {
    const path = write("seeded.yaml", scenarioWith("{replicas: [1, 4], idle_ttl: 2m}"));
    const a = JSON.parse((await runTo(path, "seed-a", "--seed", "99")).summary);
    const b = JSON.parse((await runTo(path, "seed-b", "--seed", "99")).summary);
    const c = JSON.parse((await runTo(path, "seed-c")).summary);
    expect(a).to.deep.equal(b);
    expect(a.seed).to.equal(99);
    expect(a.total.tasks.arrived).not.to.equal(c.total.tasks.arrived);
  });

  it("reuse-sim run: a different policy leaves every task's arrival time unchanged", async () => {
    const pool = await runTo(write("pool.yaml", scenarioWith("{replicas: [1, 4]}")), "pool");
    const none = await runTo(write("none.yaml", scenarioWith("none")), "none");

    const arrivals = (csv: string) =>
      csv
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => line.split(",").slice(0, 3).join(","))
        .sort();
    expect(arrivals(pool.tasks)).to.deep.equal(arrivals(none.tasks));
    expect(pool.tasks).not.to.equal(none.tasks); // but the runs themselves differ
  });

  it("summary.json agrees with tasks.csv and timeline.csv, written apart from it", async () => {
    const out = await runTo(
      write("conservation.yaml", scenarioWith("{replicas: [0, 3], idle_ttl: 1m}")),
      "conservation",
    );
    const summary = JSON.parse(out.summary);
    const m: Measures = summary.environments.api;

    // Every task is one row of tasks.csv, with the start kind and wait the summary counts.
    const tasks = csvRecords(out.tasks);
    expect(tasks.length).to.equal(m.tasks.arrived);
    for (const kind of ["warm", "queued", "cold"] as const) {
      const rows = tasks.filter((t) => t.kind === kind).length;
      expect(rows, kind).to.equal(m.tasksByStart[kind]);
    }
    const waits = tasks.map((t) => Number(t.wait));
    const meanWait = waits.reduce((s, w) => s + w, 0) / waits.length;
    expect(m.wait.mean).to.be.closeTo(meanWait, 1e-6);
    expect(m.wait.max).to.equal(Math.max(...waits));

    // The timeline's averages times each row's length (the last row ends with the run) add up to
    // the summary's replica-seconds; the cost is those replica-hours at 2 per hour.
    const rows = csvRecords(out.timeline);
    const integral = (column: (row: Record<string, string>) => number): number =>
      rows.reduce((sum, row, i) => {
        const end = i + 1 < rows.length ? Number(rows[i + 1].time) : summary.endSeconds;
        return sum + column(row) * (end - Number(row.time));
      }, 0);
    const r = m.replicaSeconds;
    expect(r.busy).to.be.above(0);
    expect(integral((row) => Number(row.starting))).to.be.closeTo(r.starting, 1e-3);
    expect(integral((row) => Number(row.busy))).to.be.closeTo(r.busy, 1e-3);
    expect(integral((row) => Number(row.ready) - Number(row.busy))).to.be.closeTo(r.idle, 1e-3);
    expect(m.cost.total).to.be.closeTo((r.total / 3600) * 2, 1e-5);
  });

  it("reuse-sim run <starving scenario> prints each starved environment's first event under the table", async () => {
    // A has one slot, no cold start. A root arrives at 0, 100 and 200; each runs its 2 s setup
    // on the slot, then launches two children that queue behind it: starved at 2, 102 and 202.
    // Each root fails at its 30 s timeout, and A is torn down before the next one.
    const path = write(
      "starving.yaml",
      `horizon: 250s
environments:
  A:
    policy: {replicas: 1, idle_ttl: 30s, scaledown_ttl: 30s}
workloads:
  - env: A
    arrivals: {process: periodic, every: 100s}
    duration: {dist: constant, value: 2s}
    timeout: 30s
    fanout: {count: 2, duration: {dist: constant, value: 5s}}
`,
    );
    const result = await cli("run", path);
    expect(result.code, result.stderr).to.equal(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines.at(-1)).to.equal(
      'starvation in environment "A" at 2 s: the only slot of environment "A" (max replicas x concurrency = 1) is held by a parent task waiting for children queued in "A"; raise max replicas, raise concurrency for async tasks, or run the parent in another environment. Stuck: parents w0-1; children w0-1.1, w0-1.2. 2 more starvation events there; summary.json lists every one.',
    );
    expect(lines.find((line) => line.includes("starvation events"))).to.match(/│ 3 +│$/);
  });

  describe("user errors", () => {
    const expectUserError = async (args: string[], ...fragments: string[]) => {
      const result = await cli(...args);
      expect(result.code).to.equal(2);
      const lines = result.stderr.trim().split("\n");
      expect(lines[0]).to.match(/^reuse-sim: error: /);
      for (const fragment of fragments) expect(lines[0]).to.include(fragment);
      expect(result.stderr).not.to.match(/\n\s+at /); // no stack trace
      return result;
    };

    it("reuse-sim run <missing file> exits 2 with one line", async () => {
      await expectUserError(["run", join(folder, "nope.yaml")], "nope.yaml", "no such file");
    });

    it("reuse-sim run <YAML syntax error> names file, line and column", async () => {
      const path = write("syntax.yaml", "name: x\nenvironments: {api: {policy: none}\n");
      await expectUserError(["run", path], "syntax.yaml:", "syntax error");
    });

    it("reuse-sim run <unknown key> suggests the closest known key", async () => {
      const path = write("typo.yaml", scenarioWith("{replicas: [1, 4], idle_tl: 2m}"));
      await expectUserError(["run", path], "policy.idle_tl", 'did you mean "idle_ttl"');
    });

    it("reuse-sim run --out <non-empty folder> refuses to mix runs", async () => {
      const out = join(folder, "taken");
      const path = write("taken.yaml", scenarioWith("none"));
      expect((await cli("run", path, "--out", out, "-q")).code).to.equal(0);
      await expectUserError(["run", path, "--out", out, "-q"], "not empty", "--force");
      expect((await cli("run", path, "--out", out, "-q", "--force")).code).to.equal(0);
    });

    it("reuse-sim run --out <folder with a user's file> refuses even with --force", async () => {
      const out = join(folder, "mine");
      const path = write("mine.yaml", scenarioWith("none"));
      expect((await cli("run", path, "--out", out, "-q")).code).to.equal(0);
      writeFileSync(join(out, "notes.txt"), "mine");
      await expectUserError(["run", path, "--out", out, "--force"], "notes.txt");
      expect(readFileSync(join(out, "notes.txt"), "utf8")).to.equal("mine");
    });

    it("reuse-sim run --seed abc is a usage error", async () => {
      const result = await cli("run", DEFAULT_SCENARIO, "--seed", "abc");
      expect(result.code).to.equal(2);
      expect(result.stderr).to.include("--seed");
    });

    it("a failed run leaves no output folder behind", async () => {
      const out = join(folder, "failed");
      const path = write("bad-trace.yaml", badTraceScenario());
      await expectUserError(["run", path, "--out", out], "trace.csv:3");
      expect(readdirSync(folder).filter((name) => name.includes("failed"))).to.deep.equal([]);
    });
  });
});

type Measures = {
  tasks: { arrived: number; completed: number; failed: number; unfinished: number };
  tasksByStart: { warm: number; queued: number; cold: number };
  wait: { mean: number; max: number };
  replicaSeconds: { starting: number; busy: number; idle: number; total: number };
  cost: { total: number; starting: number; busy: number; idle: number };
};

function badTraceScenario(): string {
  writeFileSync(join(folder, "trace.csv"), "arrival,duration\n0,1\nabc,2\n");
  return `horizon: 1h
environments:
  api: {policy: none}
workloads:
  - trace: {path: trace.csv, format: tasks}
    env: api
`;
}

async function runTo(
  path: string,
  name: string,
  ...extra: string[]
): Promise<{ summary: string; tasks: string; timeline: string }> {
  const out = join(folder, name);
  const result = await cli("run", path, "--out", out, "--quiet", ...extra);
  expect(result.code, result.stderr).to.equal(0);
  return {
    summary: read(out, "summary.json"),
    tasks: read(out, "tasks.csv"),
    timeline: read(out, "timeline.csv"),
  };
}

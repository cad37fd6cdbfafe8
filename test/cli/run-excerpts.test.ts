import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { REPO_ROOT, sharedData } from "../workloads/trace-helpers.js";
import type { Measures as SummaryMeasures } from "../../sim/summary.js";
import { cli } from "./io.js";

// `reuse-sim run --out` on the real trace excerpts: summary.json checked against tasks.csv (one
// row per task) and timeline.csv (per environment and step), each environment and the total.

type Row = Record<string, string>;

/** A CSV without quoted fields (as tasks.csv and timeline.csv are), as records by header. */
function csvRecords(text: string): Row[] {
  const [header, ...lines] = text.trim().split("\n");
  const names = header.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [names[i], v])));
}

interface Measures {
  tasks: { arrived: number; completed: number; failed: number; unfinished: number };
  tasksByStart: { warm: number; queued: number; cold: number };
  wait: { mean: number; max: number };
  coldStarts: { replicas: number; environments: number };
  replicas: { peak: number };
  replicaSeconds: { starting: number; busy: number; idle: number; total: number };
}

interface Outputs {
  summary: { endSeconds: number; total: Measures; environments: Record<string, Measures> };
  stepSeconds: number;
  tasks: Row[];
  timeline: Row[];
}

function readOutputs(dir: string): Outputs {
  const read = (name: string) => readFileSync(join(dir, name), "utf8");
  return {
    summary: JSON.parse(read("summary.json")),
    stepSeconds: JSON.parse(read("scenario.json")).timelineStepSeconds,
    tasks: csvRecords(read("tasks.csv")),
    timeline: csvRecords(read("timeline.csv")),
  };
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/**
 * One environment's tasks.csv rows and timeline rows against its summary. The timeline's
 * averages times each row's length ([time, time + step), the last cut at the run's end) add up
 * to the replica-seconds; each value is written to 6 decimals, so the sum may be off by half a
 * microsecond times the step per row.
 */
function checkEnvironment(name: string, m: Measures, tasks: Row[], rows: Row[], out: Outputs) {
  expect(tasks.length, `${name} tasks`).to.equal(m.tasks.arrived);
  expect(m.tasks.completed, `${name} completed`).to.equal(m.tasks.arrived);
  for (const kind of ["warm", "queued", "cold"] as const) {
    const count = tasks.filter((task) => task.kind === kind).length;
    expect(count, `${name} ${kind}`).to.equal(m.tasksByStart[kind]);
  }
  const waits = tasks.map((task) => Number(task.wait));
  expect(m.wait.mean, `${name} wait mean`).to.be.closeTo(sum(waits) / waits.length, 1e-6);
  expect(m.wait.max, `${name} wait max`).to.equal(Math.max(...waits));

  const column = (key: string) => rows.map((row) => Number(row[key]));
  expect(sum(column("replicaStarts")), `${name} replica starts`).to.equal(m.coldStarts.replicas);
  expect(sum(column("envCreations")), `${name} creations`).to.equal(m.coldStarts.environments);
  expect(Math.max(...column("peakReplicas")), `${name} peak`).to.equal(m.replicas.peak);

  const integral = (value: (row: Row) => number) =>
    sum(
      rows.map((row) => {
        const start = Number(row.time);
        return value(row) * (Math.min(start + out.stepSeconds, out.summary.endSeconds) - start);
      }),
    );
  const tolerance = rows.length * out.stepSeconds * 1e-6;
  const r = m.replicaSeconds;
  expect(
    integral((row) => Number(row.starting)),
    `${name} starting`,
  ).to.be.closeTo(r.starting, tolerance);
  expect(
    integral((row) => Number(row.busy)),
    `${name} busy`,
  ).to.be.closeTo(r.busy, tolerance);
  expect(
    integral((row) => Number(row.ready) - Number(row.busy)),
    `${name} idle`,
  ).to.be.closeTo(r.idle, tolerance);
  expect(r.total, `${name} total`).to.be.closeTo(r.starting + r.busy + r.idle, 1e-6);
}

/** Every environment, then the total as their sum (and as the whole of both files). */
function checkOutputs(out: Outputs): void {
  const names = Object.keys(out.summary.environments);
  expect(names.length).to.be.above(1);
  expect(new Set(out.tasks.map((task) => task.env))).to.deep.equal(new Set(names));
  for (const name of names) {
    checkEnvironment(
      name,
      out.summary.environments[name],
      out.tasks.filter((task) => task.env === name),
      out.timeline.filter((row) => row.env === name),
      out,
    );
  }

  const total = out.summary.total;
  const envs = names.map((name) => out.summary.environments[name]);
  expect(total.tasks.arrived).to.equal(out.tasks.length);
  expect(total.tasks.arrived).to.equal(sum(envs.map((m) => m.tasks.arrived)));
  expect(new Set(out.tasks.map((task) => task.id)).size).to.equal(out.tasks.length);
  const waits = out.tasks.map((task) => Number(task.wait));
  expect(total.wait.mean).to.be.closeTo(sum(waits) / waits.length, 1e-6);
  expect(total.wait.max).to.equal(Math.max(...waits));
  expect(total.coldStarts.replicas).to.equal(sum(envs.map((m) => m.coldStarts.replicas)));
  for (const key of ["starting", "busy", "idle", "total"] as const) {
    const envSum = sum(envs.map((m) => m.replicaSeconds[key]));
    expect(total.replicaSeconds[key], key).to.be.closeTo(envSum, 1e-6 * Math.max(1, envSum));
  }
}

describe("reuse-sim run --out on the real trace excerpts", function () {
  this.timeout(120_000);
  let folder: string;

  before(() => {
    folder = mkdtempSync(join(tmpdir(), "reuse-sim-excerpts-"));
  });

  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  async function runOut(scenario: string, trace: string, name: string): Promise<Outputs> {
    const out = join(folder, name);
    const result = await cli("run", scenario, "--trace", trace, "--out", out, "--quiet");
    expect(result.code, result.stderr).to.equal(0);
    return readOutputs(out);
  }

  it("run scenarios/azure2021.yaml --out: tasks.csv and timeline.csv agree with summary.json", async () => {
    const path = sharedData("azure2021", "invocations-200.csv");
    const out = await runOut(join(REPO_ROOT, "scenarios", "azure2021.yaml"), path, "2021");
    // Every row of the excerpt is a task (the header aside).
    const rows = readFileSync(path, "utf8").trim().split("\n").length - 1;
    expect(out.tasks).to.have.length(rows);
    checkOutputs(out);
    // 0.05 per replica-hour, and no memory price (the summary gives 6 decimals).
    const total = out.summary.total as Measures & { cost: { total: number } };
    expect(total.cost.total).to.be.closeTo((total.replicaSeconds.total / 3600) * 0.05, 1e-6);
  });

  it("run azure2019-10fn.yaml (first 5 minutes) --out: tasks.csv and timeline.csv agree with summary.json", async () => {
    const text = readFileSync(join(REPO_ROOT, "scenarios", "azure2019-10fn.yaml"), "utf8");
    const windowed = text.replace(
      "mapping: { by: function }",
      "mapping: { by: function }\n    to: 5m",
    );
    expect(windowed).not.to.equal(text);
    const scenario = join(folder, "azure2019-10fn-5m.yaml");
    writeFileSync(scenario, windowed);
    const out = await runOut(scenario, sharedData("azure2019-10fn"), "2019");
    expect(out.tasks.length).to.be.above(10_000);
    // Nothing arrives after the window's 5 minutes.
    expect(Math.max(...out.tasks.map((task) => Number(task.arrival)))).to.be.below(300);
    checkOutputs(out);
  });

  it("run azure2019-10fn.yaml --top 3 (first 5 minutes) replays the 3 functions with the most invocations of the day, each as in the full run", async () => {
    const text = readFileSync(join(REPO_ROOT, "scenarios", "azure2019-10fn.yaml"), "utf8");
    const scenario = join(folder, "azure2019-10fn-5m-top.yaml");
    writeFileSync(
      scenario,
      text.replace("mapping: { by: function }", "mapping: { by: function }\n    to: 5m"),
    );
    const trace = sharedData("azure2019-10fn");
    const full = await runOut(scenario, trace, "2019-full");
    const result = await cli(
      "run",
      scenario,
      "--trace",
      trace,
      "--top",
      "3",
      "--out",
      join(folder, "2019-top"),
      "--quiet",
    );
    expect(result.code, result.stderr).to.equal(0);
    const top = readOutputs(join(folder, "2019-top"));

    // The busiest three by the day's invocation counts, read here from invocations.csv: an
    // environment is named by the first 8 characters of its function's hash and its trigger.
    const counts = readFileSync(join(trace, "invocations.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => {
        const [, , fn, trigger, ...minutes] = line.split(",");
        return { name: `${fn.slice(0, 8)}-${trigger}`, count: sum(minutes.map(Number)) };
      })
      .sort((a, b) => b.count - a.count);
    expect(counts[2].count).to.be.above(counts[3].count); // no tie at the cut
    const busiest = counts.slice(0, 3).map((c) => c.name);
    expect(Object.keys(top.summary.environments).sort()).to.deep.equal([...busiest].sort());
    // Each function draws from its own streams: leaving the others out changes nothing of it
    // (but the means over the whole run, whose length the others' teardowns set).
    const ownMeasures = (m: Measures) => {
      const { tasks, wait, tasksByStart, coldStarts, replicaSeconds } = m;
      const { cost, slotSeconds } = m as Measures & Pick<SummaryMeasures, "cost" | "slotSeconds">;
      return { tasks, wait, tasksByStart, coldStarts, replicaSeconds, cost, slotSeconds };
    };
    for (const name of busiest) {
      expect(ownMeasures(top.summary.environments[name]), name).to.deep.equal(
        ownMeasures(full.summary.environments[name]),
      );
    }
  });

  it("run --top on a scenario without a trace is a one-line error", async () => {
    const result = await cli("run", join(REPO_ROOT, "scenarios", "steady-api.yaml"), "--top", "2");
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(
      /^reuse-sim: error: [^\n]+--top 2 was given, but the scenario replays no trace[^\n]+\n$/,
    );
  });
});

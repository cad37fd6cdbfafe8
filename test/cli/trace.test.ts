import { readFileSync } from "node:fs";
import { expect } from "chai";
import { parse } from "csv-parse/sync";
import { sharedData, writeTrace } from "../workloads/trace-helpers.js";
import { cli } from "./io.js";

// `reuse-sim trace stats`, and the trace flags of `reuse-sim run`.

// Two environments over minutes 0 and 1: a has 3 tasks (gaps 10, 50 s), b has 1.
const TASKS = "arrival,duration,env\n0,1,a\n10,2,a\n30,5,b\n60,3,a\n";

describe("reuse-sim trace stats", function () {
  this.timeout(60_000);

  it("trace stats FILE --format tasks --json gives counts, span, rates, CV and durations", async () => {
    const path = writeTrace("cli/stats.csv", TASKS);
    const { code, stdout } = await cli("trace", "stats", path, "--format", "tasks", "--json");
    expect(code).to.equal(0);
    const stats = JSON.parse(stdout);
    expect(stats.spanMinutes).to.equal(2);
    expect(stats.total).to.deep.include({ tasks: 4, firstArrival: 0, lastArrival: 60 });
    expect(stats.total.perMinute).to.deep.equal({
      min: 1,
      mean: 2,
      max: 3,
      minutesWithoutTasks: 0,
    });
    const a = stats.environments.a;
    expect(a.perMinute).to.deep.equal({ min: 1, mean: 1.5, max: 2, minutesWithoutTasks: 0 });
    // Gaps 10 and 50: mean 30, sample standard deviation 28.28, CV 0.943.
    expect(a.interArrivalCv).to.be.closeTo(Math.sqrt(800) / 30, 1e-12);
    expect(a.duration.mean).to.equal(2);
    expect(a.duration.max).to.equal(3);
    expect(a.duration.p50).to.be.closeTo(2, 2 * 0.001);
    expect(stats.environments.b.perMinute).to.deep.equal({
      min: 0,
      mean: 0.5,
      max: 1,
      minutesWithoutTasks: 1,
    });
    expect(stats.environments.b.interArrivalCv).to.equal(null);
  });

  it("trace stats prints a table, busiest environment first, with the total", async () => {
    const path = writeTrace("cli/table.csv", TASKS);
    const { code, stdout } = await cli("trace", "stats", path, "--format", "tasks");
    expect(code).to.equal(0);
    expect(stdout).to.contain(`${path}: 4 tasks in 2 environments over 2 minutes`);
    const lines = stdout.split("\n");
    const rowOf = (name: string) => lines.findIndex((line) => line.startsWith(`│ ${name} `));
    expect(rowOf("a")).to.be.lessThan(rowOf("b"));
    expect(lines[rowOf("total")]).to.contain("1 / 2.0 / 3");
  });

  it("trace stats on the 2019 excerpt reports the functions of a window, with memory", async () => {
    const folder = sharedData("azure2019-10fn");
    const args = ["trace", "stats", folder, "--format", "azure2019", "--to", "10m", "--json"];
    const stats = JSON.parse((await cli(...args)).stdout);
    // Nine of the ten functions are invoked in the first 10 minutes (8203ff88 starts at 7h57m).
    expect(Object.keys(stats.environments)).to.have.length(9);
    expect(stats.environments["308ecb6c-queue"].memoryMb).to.equal(184);
    expect(stats.spanMinutes).to.equal(10);
  });

  it("trace stats on the 2021 excerpt, by app: counts, span, rates, gaps and durations from its rows", async () => {
    const path = sharedData("azure2021", "invocations-200.csv");
    const records: Record<string, string>[] = parse(readFileSync(path), { columns: true });
    // Starts as the reader computes them: whole microseconds, end - duration.
    const tasks = records.map((record) => {
      const workMicros = Math.round(Number(record.duration) * 1e6);
      const startMicros = Math.round(Number(record.end_timestamp) * 1e6) - workMicros;
      return { env: `app-${record.app.slice(0, 8)}`, startMicros, workMicros };
    });
    const origin = Math.min(0, ...tasks.map((task) => task.startMicros));
    const seconds = (micros: number) => (micros - origin) / 1e6;

    const args = ["trace", "stats", path, "--format", "azure2021", "--by", "app", "--json"];
    const { code, stdout } = await cli(...args);
    expect(code).to.equal(0);
    const stats = JSON.parse(stdout);

    const starts = tasks.map((task) => task.startMicros).sort((a, b) => a - b);
    const [first, last] = [seconds(starts[0]), seconds(starts[starts.length - 1])];
    const span = Math.floor(last / 60) - Math.floor(first / 60) + 1;
    expect(stats.spanMinutes).to.equal(span);
    expect(stats.total).to.deep.include({
      tasks: records.length,
      firstArrival: first,
      lastArrival: last,
    });
    expect(stats.total.perMinute.mean).to.be.closeTo(records.length / span, 1e-12);
    const gaps = starts.slice(1).map((start, i) => (start - starts[i]) / 1e6);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const variance = gaps.reduce((a, b) => a + (b - mean) ** 2, 0) / (gaps.length - 1);
    expect(stats.total.interArrivalCv).to.be.closeTo(Math.sqrt(variance) / mean, 1e-9);

    const apps = [...new Set(tasks.map((task) => task.env))];
    expect(Object.keys(stats.environments).sort()).to.deep.equal([...apps].sort());
    for (const app of apps) {
      const own = tasks.filter((task) => task.env === app);
      const works = own.map((task) => task.workMicros / 1e6);
      const env = stats.environments[app];
      expect(env.tasks, app).to.equal(own.length);
      expect(env.firstArrival, app).to.equal(Math.min(...own.map((t) => seconds(t.startMicros))));
      expect(env.lastArrival, app).to.equal(Math.max(...own.map((t) => seconds(t.startMicros))));
      expect(env.duration.max, app).to.equal(Math.max(...works));
      expect(env.duration.mean, app).to.be.closeTo(
        works.reduce((a, b) => a + b, 0) / works.length,
        1e-9,
      );
    }
  });

  it("trace stats on a malformed trace exits 2 with one line naming file, line and column", async () => {
    const path = writeTrace("cli/bad.csv", "arrival,duration,env\n0,1,a\n1,-2,a\n");
    const { code, stderr } = await cli("trace", "stats", path, "--format", "tasks");
    expect(code).to.equal(2);
    expect(stderr).to.equal(
      `reuse-sim: error: ${path}:3:2: "-2" in column 2 (duration) is not valid; expected a number of seconds >= 0\n`,
    );
  });

  it("trace stats on a trace naming environment __proto__ exits 2 at its row, as run does", async () => {
    const path = writeTrace("cli/proto.csv", "arrival,duration,env\n0,1,a\n1,1,__proto__\n");
    const { code, stderr } = await cli("trace", "stats", path, "--format", "tasks", "--json");
    expect(code).to.equal(2);
    expect(stderr).to.equal(
      `reuse-sim: error: ${path}:3:3: "__proto__" in column 3 (env) cannot name an environment: ` +
        "it is reserved (a built-in property of every object); expected another name\n",
    );
    const skipped = await cli(
      "trace",
      "stats",
      path,
      "--format",
      "tasks",
      "--skip-bad-rows",
      "--json",
    );
    expect(skipped.code).to.equal(0);
    expect(Object.keys(JSON.parse(skipped.stdout).environments)).to.deep.equal(["a"]);
  });

  it("trace stats --env constructor exits 2: the name is reserved", async () => {
    const path = writeTrace("cli/env.csv", "arrival,duration\n0,1\n");
    const { code, stderr } = await cli(
      "trace",
      "stats",
      path,
      "--format",
      "tasks",
      "--env",
      "constructor",
    );
    expect(code).to.equal(2);
    expect(stderr).to.contain('--env: "constructor" cannot name an environment');
  });

  it("trace stats --format tasks on a trace without env column names --env NAME as the fix", async () => {
    const csv = writeTrace("cli/no-env.csv", "arrival,duration\n0,1\n");
    const csvRun = await cli("trace", "stats", csv, "--format", "tasks");
    expect(csvRun.code).to.equal(2);
    expect(csvRun.stderr).to.equal(
      `reuse-sim: error: ${csv}:1: no env column and no --env NAME; add an env column, or give ` +
        "--env NAME\n",
    );
    const jsonl = writeTrace("cli/no-env.jsonl", '{"arrival": 0, "duration": 1}\n');
    const jsonlRun = await cli("trace", "stats", jsonl, "--format", "tasks");
    expect(jsonlRun.stderr).to.contain(`${jsonl}:1: no env column and no --env NAME`);
    const empty = writeTrace("cli/empty-env.csv", "arrival,duration,env\n0,1,\n");
    const emptyRun = await cli("trace", "stats", empty, "--format", "tasks");
    expect(emptyRun.stderr).to.contain("or --env NAME for rows that leave it empty");
    expect((await cli("trace", "stats", csv, "--format", "tasks", "--env", "a")).code).to.equal(0);
  });

  it("trace stats --skip-bad-rows warns, skips and counts instead", async () => {
    const path = writeTrace("cli/skip.csv", "arrival,duration,env\n0,1,a\n1,-2,a\n2,1,a\n");
    const { code, stdout, stderr } = await cli(
      "trace",
      "stats",
      path,
      "--format",
      "tasks",
      "--skip-bad-rows",
      "--json",
    );
    expect(code).to.equal(0);
    expect(JSON.parse(stdout).total.tasks).to.equal(2);
    expect(stderr).to.contain(`reuse-sim: warning: ${path}: skipped 1 bad row (line 3)`);
  });

  it("trace stats --from 10 --to 5 exits 2, as a scenario's window would", async () => {
    const path = writeTrace("cli/window.csv", TASKS);
    const { code, stdout, stderr } = await cli(
      "trace",
      "stats",
      path,
      "--format",
      "tasks",
      ...["--from", "10", "--to", "5"],
    );
    expect(code).to.equal(2);
    expect(stdout).to.equal("");
    expect(stderr).to.equal("reuse-sim: error: --to: expected `to` after `from` (10 s), got 5 s\n");
  });

  for (const [flag, value] of [
    ["--spread", "even"],
    ["--durations", "DURATIONS"],
    ["--memory", "MEMORY"],
    ["--memory-stat", "p50"],
  ]) {
    it(`trace stats ${flag} with --format tasks or azure2021 exits 2: it applies to azure2019`, async () => {
      const path = writeTrace("cli/only-2019.csv", TASKS);
      const file = value === value.toUpperCase() ? writeTrace("cli/other.csv", "x\n") : value;
      for (const format of ["tasks", "azure2021"]) {
        const { code, stderr } = await cli("trace", "stats", path, "--format", format, flag, file);
        expect(code, format).to.equal(2);
        expect(stderr).to.equal(`reuse-sim: error: "${flag}" applies to azure2019 traces only\n`);
      }
    });
  }

  it("trace stats --env with an Azure trace mapped per function exits 2: it names the one environment of --by all", async () => {
    const path = sharedData("azure2021", "invocations-200.csv");
    const { code, stderr } = await cli(
      "trace",
      "stats",
      path,
      "--format",
      "azure2021",
      "--env",
      "x",
    );
    expect(code).to.equal(2);
    expect(stderr).to.equal(
      'reuse-sim: error: "--env" applies to tasks and mapping by "all" traces only\n',
    );
    const all = await cli(
      "trace",
      "stats",
      path,
      ...["--format", "azure2021", "--by", "all", "--env", "x", "--json"],
    );
    expect(all.code).to.equal(0);
    expect(Object.keys(JSON.parse(all.stdout).environments)).to.deep.equal(["x"]);
  });

  it("trace stats --json of a window without tasks gives null first and last arrivals", async () => {
    const path = writeTrace("cli/empty-window.csv", TASKS);
    const args = ["--format", "tasks", "--from", "61", "--to", "70", "--json"];
    const { code, stdout } = await cli("trace", "stats", path, ...args);
    expect(code).to.equal(0);
    const stats = JSON.parse(stdout);
    expect(stats.total).to.deep.include({ tasks: 0, firstArrival: null, lastArrival: null });
    const table = await cli(
      "trace",
      "stats",
      path,
      "--format",
      "tasks",
      "--from",
      "61",
      "--to",
      "70",
    );
    expect(table.stdout).to.contain("0 tasks in 0 environments over 0 minutes");
  });

  it("trace stats with an unknown format, a missing file or a bad --top exits 2", async () => {
    const path = writeTrace("cli/ok.csv", TASKS);
    const unknown = await cli("trace", "stats", path, "--format", "csv");
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.contain(
      '--format: unknown value "csv"; expected one of tasks, azure2019, azure2021',
    );
    const missing = await cli("trace", "stats", `${path}.nope`, "--format", "tasks");
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.contain("no such trace file or folder");
    const top = await cli("trace", "stats", path, "--format", "tasks", "--top", "0");
    expect(top.code).to.equal(2);
  });
});

describe("reuse-sim run with a trace", function () {
  this.timeout(60_000);

  const scenario = `environments:
  default: {policy: {replicas: [0, 2], idle_ttl: 1m, scaledown_ttl: 30s}}
workloads:
  - trace: {path: "\${TRACE}", format: tasks}
`;

  it("run SCENARIO --trace PATH fills ${TRACE} and creates the trace's environments", async () => {
    const path = writeTrace("cli/run-trace.csv", TASKS);
    const file = writeTrace("cli/replay.yaml", scenario);
    const { code, stdout } = await cli("run", file, "--trace", path);
    expect(code).to.equal(0);
    expect(stdout).to.match(/tasks arrived \/ completed\s*│ 3 \/ 3\s*│ 1 \/ 1\s*│ 4 \/ 4/);
  });

  it("run without --trace names the variable and how to set it", async () => {
    const file = writeTrace("cli/replay-unset.yaml", scenario);
    const { code, stderr } = await cli("run", file);
    expect(code).to.equal(2);
    expect(stderr).to.match(/variable TRACE is not set/);
  });

  it("run --trace with a scenario that has no ${TRACE} exits 2 instead of replaying something else", async () => {
    const path = writeTrace("cli/unused-trace.csv", TASKS);
    const fixed = writeTrace("cli/fixed-trace.csv", TASKS);
    const file = writeTrace("cli/replay-fixed.yaml", scenario.replace("${TRACE}", fixed));
    for (const command of ["run", "lint"]) {
      const { code, stdout, stderr } = await cli(command, file, "--trace", path);
      expect(code, command).to.equal(2);
      expect(stdout).to.equal("");
      expect(stderr).to.equal(
        `reuse-sim: error: ${file}: --trace was given, but the scenario uses no \${TRACE} ` +
          `(its trace paths: "${fixed}"); expected a trace path such as "\${TRACE}", or no --trace\n`,
      );
    }
    // Without --trace the same scenario runs.
    expect((await cli("run", file, "--quiet")).code).to.equal(0);
  });

  it("run --skip-bad-rows turns a bad row into a warning", async () => {
    const path = writeTrace("cli/run-bad.csv", "arrival,duration,env\n0,1,a\n1,x,a\n");
    const file = writeTrace("cli/replay-bad.yaml", scenario);
    const failed = await cli("run", file, "--trace", path);
    expect(failed.code).to.equal(2);
    const skipped = await cli("run", file, "--trace", path, "--skip-bad-rows");
    expect(skipped.code).to.equal(0);
    expect(skipped.stderr).to.contain("skipped 1 bad row (line 3)");
  });
});

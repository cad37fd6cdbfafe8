import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "chai";
import { parse } from "csv-parse/sync";
import { RecordingLogger } from "../../sim/logger.js";
import { RandomStreams } from "../../sim/random.js";
import type { TraceWorkloadSpec } from "../../sim/scenario.js";
import { simulate } from "../../sim/simulation.js";
import { openTrace } from "../../workloads/open.js";
import type { TaskArrival } from "../../workloads/source.js";
import { env, scenario } from "../helpers.js";
import { bonferroniZ, ksCritical, ksUniform } from "../statistics.js";
import { replay, replayError, rows, sharedData, writeTrace } from "./trace-helpers.js";

// The Azure Functions 2019 format: per-minute counts per function, with duration percentiles
// (milliseconds) and memory per app.

const FN_A = "a".repeat(64);
const FN_B = "b".repeat(64);
const PERCENTILE_HEADER =
  "HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum," +
  [0, 1, 25, 50, 75, 99, 100].map((p) => `percentile_Average_${p}`).join(",");
const MEMORY_HEADER = "HashOwner,HashApp,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct99";

/** A three-minute trace: A is invoked 2, 0, 1 times and always runs 100 ms; B 1, 1, 0 and 250 ms. */
function handMade(
  name: string,
  invocationRows?: string[],
  durationRows?: string[],
  memoryRows = ["o1,a1,10,512,600", "o1,a2,10,1024,2048"],
): string {
  const path = writeTrace(`${name}-invocations.csv`, "");
  const folder = join(dirname(path), name);
  mkdirSync(folder, { recursive: true });
  const rowsText = invocationRows ?? [`o1,a1,${FN_A},http,2,0,1`, `o1,a2,${FN_B},queue,1,1,0`];
  writeTrace(
    `${name}/invocations.csv`,
    ["HashOwner,HashApp,HashFunction,Trigger,1,2,3", ...rowsText].join("\n"),
  );
  writeTrace(
    `${name}/durations.csv`,
    [
      PERCENTILE_HEADER,
      ...(durationRows ?? [
        `o1,a1,${FN_A},100,3,100,100,100,100,100,100,100,100,100`,
        `o1,a2,${FN_B},250,2,250,250,250,250,250,250,250,250,250`,
      ]),
    ].join("\n"),
  );
  writeTrace(`${name}/memory.csv`, [MEMORY_HEADER, ...memoryRows].join("\n"));
  return folder;
}

type Spec = Partial<TraceWorkloadSpec> & Pick<TraceWorkloadSpec, "path" | "format">;

/** Count a replay's arrivals per environment and minute without keeping the tasks. */
async function countPerMinute(spec: Spec, seed = 1): Promise<Map<string, number[]>> {
  const counts = new Map<string, number[]>();
  await forEachTask(spec, seed, (task) => {
    const perMinute = counts.get(task.env) ?? [];
    const minute = Math.floor(task.arrivalAt / 60e6);
    perMinute[minute] = (perMinute[minute] ?? 0) + 1;
    counts.set(task.env, perMinute);
  });
  return counts;
}

async function forEachTask(spec: Spec, seed: number, visit: (task: TaskArrival) => void) {
  const source = openTrace(
    { kind: "trace", async: false, ...spec },
    {
      index: 0,
      streams: new RandomStreams(seed),
      logger: new RecordingLogger(),
      horizonMicros: Infinity,
    },
  );
  let previous = 0;
  for (let batch = await source.next(); batch !== null; batch = await source.next()) {
    for (const task of batch) {
      if (task.arrivalAt < previous) throw new Error(`out of order at ${task.id}`);
      previous = task.arrivalAt;
      visit(task);
    }
  }
}

/** invocations.csv as {env name: counts per minute}, names as the reader gives them. */
function recordedCounts(path: string): Map<string, number[]> {
  const records: string[][] = parse(readFileSync(path), { from_line: 2 });
  return new Map(
    records.map((record) => [`${record[2].slice(0, 8)}-${record[3]}`, record.slice(4).map(Number)]),
  );
}

/** A function's percentile points as durations.csv gives them: [percent, milliseconds]. */
type PercentilePoints = [number, number][];

/** durations.csv of a folder as {env name: points}, names as the reader gives them. */
function recordedPercentiles(folder: string): Map<string, PercentilePoints> {
  const keyOf = (record: Record<string, string>) =>
    [record.HashOwner, record.HashApp, record.HashFunction].join("/");
  const options = { columns: true } as const;
  const invocations: Record<string, string>[] = parse(
    readFileSync(join(folder, "invocations.csv")),
    options,
  );
  const names = new Map(
    invocations.map((record) => [
      keyOf(record),
      `${record.HashFunction.slice(0, 8)}-${record.Trigger}`,
    ]),
  );
  const durations: Record<string, string>[] = parse(
    readFileSync(join(folder, "durations.csv")),
    options,
  );
  return new Map(
    durations.map((record) => [
      names.get(keyOf(record)) as string,
      [0, 1, 25, 50, 75, 99, 100].map((p) => [p, Number(record[`percentile_Average_${p}`])]),
    ]),
  );
}

describe("azure2019 trace: hand-made files", () => {
  it('Azure2019Source with spread "even" gives the known tasks, in time order', async () => {
    const { tasks } = await replay({ path: handMade("even"), format: "azure2019", spread: "even" });
    // Minute m's c arrivals are at m * 60 + (i + 0.5) * 60 / c seconds.
    expect(rows(tasks)).to.deep.equal([
      [15, 0.1, "aaaaaaaa-http", "w0-1"],
      [30, 0.25, "bbbbbbbb-queue", "w0-2"],
      [45, 0.1, "aaaaaaaa-http", "w0-3"],
      [90, 0.25, "bbbbbbbb-queue", "w0-4"],
      [150, 0.1, "aaaaaaaa-http", "w0-5"],
    ]);
  });

  it('Azure2019Source with spread "uniform" keeps every minute\'s count', async () => {
    const counts = await countPerMinute({ path: handMade("uniform"), format: "azure2019" });
    expect(counts.get("aaaaaaaa-http")).to.deep.equal([2, undefined, 1]);
    expect(counts.get("bbbbbbbb-queue")).to.deep.equal([1, 1]);
  });

  it("Azure2019Source maps by app and by all, and keeps the top 1 function", async () => {
    const byApp = await replay({
      path: handMade("by-app"),
      format: "azure2019",
      mapping: { by: "app" },
    });
    expect(new Set(byApp.tasks.map((task) => task.env))).to.deep.equal(
      new Set(["app-a1", "app-a2"]),
    );
    const top = await replay({ path: handMade("top"), format: "azure2019", top: 1 });
    expect(new Set(top.tasks.map((task) => task.env))).to.deep.equal(new Set(["aaaaaaaa-http"]));
    expect(top.tasks).to.have.length(3);
  });

  it("Azure2019Source with a window from 1m to 3m starts the second minute at 0", async () => {
    const spec: Spec = { path: handMade("window"), format: "azure2019", spread: "even" };
    const { tasks } = await replay({ ...spec, fromSeconds: 60, toSeconds: 180 });
    expect(rows(tasks).map((row) => row[0])).to.deep.equal([30, 90]);
  });

  it("Azure2019Source with load 2 doubles every minute's count", async () => {
    const counts = await countPerMinute({ path: handMade("load"), format: "azure2019", load: 2 });
    expect(counts.get("aaaaaaaa-http")).to.deep.equal([4, undefined, 2]);
  });

  it("simulate() prices a replica by its app's memory: perReplicaHour + perGbHour x GB", async () => {
    const template = {
      ...env("x", { replicas: 1 }),
      cost: { perReplicaHour: 0.1, perGbHour: 0.04 },
    };
    const summary = await simulate(
      scenario(
        [],
        [{ kind: "trace", path: handMade("memory"), format: "azure2019", async: false }],
        {
          defaultEnvironment: template,
        },
      ),
    );
    expect(summary.environments["aaaaaaaa-http"].costPerReplicaHour).to.be.closeTo(
      0.1 + 0.04 * 0.5,
      1e-12,
    );
    expect(summary.environments["bbbbbbbb-queue"].costPerReplicaHour).to.be.closeTo(0.14, 1e-12);
  });

  it("Azure2019Source finds the dataset's own file names for the same day", async () => {
    const folder = handMade("dataset");
    const renamed = (name: string) => readFileSync(join(folder, name));
    writeTrace("dataset/invocations_per_function_md.anon.d07.csv", renamed("invocations.csv"));
    writeTrace("dataset/function_durations_percentiles.anon.d07.csv", renamed("durations.csv"));
    const path = join(folder, "invocations_per_function_md.anon.d07.csv");
    const { tasks } = await replay({ path, format: "azure2019" });
    expect(tasks).to.have.length(5);
  });

  it("Azure2019Source rejects a function with no durations row, or skips it when asked", async () => {
    const extra = `o2,a3,${"c".repeat(64)},timer,1,1,1`;
    const folder = handMade("no-durations", [`o1,a1,${FN_A},http,2,0,1`, extra]);
    const path = join(folder, "invocations.csv");
    expect((await replayError({ path: folder, format: "azure2019" })).message).to.equal(
      `${path}:3: function "cccccccccccc" (invocations line 3) has no row in the durations ` +
        "file; expected a row with its HashOwner, HashApp and HashFunction",
    );
    const { tasks, warnings } = await replay({
      path: folder,
      format: "azure2019",
      skipBadRows: true,
    });
    expect(tasks).to.have.length(3);
    expect(warnings.at(-1)).to.equal(`${path}: skipped 1 bad row (line 3)`);
  });

  it("Azure2019Source rejects a decreasing percentile in milliseconds, naming both cells", async () => {
    const folder = handMade(
      "decreasing",
      [`o1,a1,${FN_A},http,2,0,1`],
      [`o1,a1,${FN_A},100,3,100,100,1,2,5,4,6,7,8`],
    );
    expect((await replayError({ path: folder, format: "azure2019" })).message).to.equal(
      `${join(folder, "durations.csv")}:2:11: "4" in column 11 (percentile_Average_50) is below ` +
        '"5" in column 10 (percentile_Average_25); expected milliseconds that do not decrease ' +
        "from percentile 0 to 100",
    );
  });

  it("Azure2019Source says a function's durations row was skipped as bad, not that it has none", async () => {
    const folder = handMade(
      "skipped-durations",
      [`o1,a1,${FN_A},http,2,0,1`, `o1,a2,${FN_B},queue,1,1,0`],
      [
        `o1,a1,${FN_A},100,3,100,100,100,100,x,100,100,100,100`,
        `o1,a2,${FN_B},250,2,250,250,250,250,250,250,250,250,250`,
      ],
    );
    const { tasks, warnings } = await replay({
      path: folder,
      format: "azure2019",
      skipBadRows: true,
    });
    expect(tasks).to.have.length(2);
    expect(warnings).to.include(
      `${join(folder, "invocations.csv")}:2: function "aaaaaaaaaaaa" (invocations line 2): its ` +
        `row in the durations file (${join(folder, "durations.csv")} line 2) was skipped as bad; ` +
        "expected a usable row with its duration percentiles (row skipped: skipBadRows is on)",
    );
  });

  it("Azure2019Source rejects a duration percentile above 1e12 ms (1e9 s), naming the cell", async () => {
    const folder = handMade(
      "long-durations",
      [`o1,a1,${FN_A},http,2,0,1`],
      [`o1,a1,${FN_A},100,3,100,100,100,100,100,100,100,100,2e12`],
    );
    expect((await replayError({ path: folder, format: "azure2019" })).message).to.equal(
      `${join(folder, "durations.csv")}:2:14: "2e12" in column 14 (percentile_Average_100) is too large; expected milliseconds from 0 to 1000000000000 (about 31 years)`,
    );
  });

  it("Azure2019Source rejects a bad count, a wrong header and a missing durations file", async () => {
    const badCount = handMade("bad-count", [`o1,a1,${FN_A},http,2,x,1`]);
    expect((await replayError({ path: badCount, format: "azure2019" })).message).to.equal(
      `${join(badCount, "invocations.csv")}:2:6: "x" in column 6 (2) is not valid; expected a whole number of invocations >= 0`,
    );
    const header = writeTrace("bad-header.csv", "HashOwner,HashApp,HashFunction,1,2\n");
    writeTrace("durations.csv", PERCENTILE_HEADER + "\n");
    expect((await replayError({ path: header, format: "azure2019" })).message).to.match(
      /bad-header\.csv:1:4: missing column "Trigger"/,
    );
    const lonely = writeTrace(
      "lonely/invocations.csv",
      "HashOwner,HashApp,HashFunction,Trigger,1\n",
    );
    const { code, message } = await replayError({ path: lonely, format: "azure2019" });
    expect(code).to.equal("FILE_NOT_FOUND");
    expect(message).to.match(/no durations file ".*lonely\/durations\.csv"/);
  });
});

describe("azure2019 trace: keys, duplicates and memory", () => {
  const oneFunction = [`o1,a1,${FN_A},http,2,0,1`];
  const durationsOf = (fn: string) => `o1,a1,${fn},100,3,100,100,100,100,100,100,100,100,100`;

  for (const [value, what] of [
    ["1e400", "read as infinity"],
    ["9e300", "finite but absurd"],
    ["10000001", "one too many"],
  ]) {
    it(`Azure2019Source rejects a memory of ${value} MB (${what}), above the limit of 1e7 MB`, async () => {
      const folder = handMade(`memory-${value}`, oneFunction, undefined, [`o1,a1,10,${value},1`]);
      expect((await replayError({ path: folder, format: "azure2019" })).message).to.equal(
        `${join(folder, "memory.csv")}:2:4: "${value}" in column 4 (AverageAllocatedMb) is too ` +
          "large; expected megabytes from 0 to 10000000 (about 10 TB)",
      );
    });
  }

  it("Azure2019Source takes a memory of exactly 1e7 MB", async () => {
    const folder = handMade("memory-limit", oneFunction, undefined, ["o1,a1,10,10000000,1"]);
    const { tasks } = await replay({ path: folder, format: "azure2019" });
    expect(tasks).to.have.length(3);
  });

  it("Azure2019Source rejects an empty HashOwner, HashApp or HashFunction in each table", async () => {
    const noFunction = handMade("no-function", [`o1,a1,,http,2,0,1`]);
    expect((await replayError({ path: noFunction, format: "azure2019" })).message).to.equal(
      `${join(noFunction, "invocations.csv")}:2:3: "" in column 3 (HashFunction) is not valid; ` +
        "expected the function's hash (not empty)",
    );
    const noOwner = handMade("no-owner", oneFunction, [durationsOf(FN_A).replace("o1,", ",")]);
    expect((await replayError({ path: noOwner, format: "azure2019" })).message).to.equal(
      `${join(noOwner, "durations.csv")}:2:1: "" in column 1 (HashOwner) is not valid; ` +
        "expected the owner's hash (not empty)",
    );
    const noApp = handMade("no-app", oneFunction, undefined, ["o1,,10,512,600"]);
    expect((await replayError({ path: noApp, format: "azure2019" })).message).to.equal(
      `${join(noApp, "memory.csv")}:2:2: "" in column 2 (HashApp) is not valid; ` +
        "expected the app's hash (not empty)",
    );
  });

  it("Azure2019Source rejects a hash that makes a reserved environment name, at its cell", async () => {
    // With no trigger, the name is the hash's prefix: "toString".
    const folder = handMade("reserved", ["o1,a1,toString,,2,0,1"], [durationsOf("toString")]);
    expect((await replayError({ path: folder, format: "azure2019" })).message).to.equal(
      `${join(folder, "invocations.csv")}:2:3: "toString" in column 3 (HashFunction) cannot ` +
        "name an environment: it is reserved (a built-in property of every object); expected " +
        "another name",
    );
  });

  it("Azure2019Source rejects a second durations row for a function, naming the first", async () => {
    const folder = handMade("twice", oneFunction, [durationsOf(FN_A), durationsOf(FN_A)]);
    expect((await replayError({ path: folder, format: "azure2019" })).message).to.equal(
      `${join(folder, "durations.csv")}:3: the same function "aaaaaaaaaaaa" appears again ` +
        "(first at line 2); expected one row per function",
    );
  });

  it("Azure2019Source takes a durations row after a bad one for the same function, when skipping", async () => {
    const bad = durationsOf(FN_A).replace(/100$/, "x");
    const folder = handMade("bad-then-good", oneFunction, [bad, durationsOf(FN_A)]);
    const { tasks, warnings } = await replay({
      path: folder,
      format: "azure2019",
      skipBadRows: true,
    });
    expect(tasks).to.have.length(3);
    expect(warnings.at(-1)).to.equal(
      `${join(folder, "durations.csv")}: skipped 1 bad row (line 2)`,
    );
  });

  it("Azure2019Source reports one count of skipped rows for invocations.csv, over both passes", async () => {
    // Line 2 has no durations row (found in the second pass), line 3 a bad count (the first).
    const folder = handMade("one-count", [
      `o2,a3,${"c".repeat(64)},timer,1,1,1`,
      `o1,a1,${FN_A},http,2,x,1`,
      `o1,a2,${FN_B},queue,1,1,0`,
    ]);
    const { tasks, warnings } = await replay({
      path: folder,
      format: "azure2019",
      skipBadRows: true,
    });
    expect(tasks).to.have.length(2);
    const counts = warnings.filter((warning) => / skipped \d+ bad rows? /.test(warning));
    expect(counts).to.deep.equal([
      `${join(folder, "invocations.csv")}: skipped 2 bad rows (lines 2, 3)`,
    ]);
  });
});

describe("azure2019 trace: the shared excerpts", () => {
  it("Azure2019Source reproduces every minute's count of the ten functions over the day", async () => {
    const folder = sharedData("azure2019-10fn");
    const counts = await countPerMinute({ path: folder, format: "azure2019" });
    const recorded = recordedCounts(join(folder, "invocations.csv"));
    expect([...counts.keys()].sort()).to.deep.equal([...recorded.keys()].sort());
    for (const [name, perMinute] of recorded) {
      const replayed = counts.get(name) as number[];
      const asReplayed = Array.from({ length: 1440 }, (_, minute) => replayed[minute] ?? 0);
      expect(asReplayed, name).to.deep.equal(perMinute);
    }
  });

  it("Azure2019Source with load 0.5 rounds each minute's half count down or up", async () => {
    const folder = sharedData("azure2019-10fn");
    const counts = await countPerMinute({
      path: folder,
      format: "azure2019",
      load: 0.5,
      toSeconds: 3600,
    });
    const recorded = recordedCounts(join(folder, "invocations.csv"));
    for (const [name, perMinute] of recorded) {
      for (let minute = 0; minute < 60; minute++) {
        const half = perMinute[minute] / 2;
        const got = counts.get(name)?.[minute] ?? 0;
        expect(got === Math.floor(half) || got === Math.ceil(half), `${name} ${minute}`).to.equal(
          true,
        );
      }
    }
  });

  it("Azure2019Source with load 0.5: dropping functions (top) never moves another's rounding", async () => {
    const spec: Spec = {
      path: sharedData("azure2019-10fn"),
      format: "azure2019",
      load: 0.5,
      toSeconds: 1800,
    };
    const everyFunction = await countPerMinute(spec);
    const busiestThree = await countPerMinute({ ...spec, top: 3 });
    expect(busiestThree.size).to.equal(3);
    for (const [name, perMinute] of busiestThree) {
      expect(perMinute, name).to.deep.equal(everyFunction.get(name));
    }
  });

  it('Azure2019Source with spread "uniform" places arrivals uniformly in the minute (Kolmogorov-Smirnov)', async () => {
    // Each arrival's offset in its minute, over 60 s, is an independent uniform on [0, 1). The
    // KS distance of n such offsets from the uniform CDF exceeds sqrt(-ln(alpha / 2) / 2) /
    // sqrt(n) with probability alpha; alpha = 1e-4: a correct spread fails 1 seed in 10,000.
    const offsets: number[] = [];
    await forEachTask(
      { path: sharedData("azure2019-1fn"), format: "azure2019", toSeconds: 180 },
      1,
      (task) => offsets.push(((task.arrivalAt % 60e6) + 0.5) / 60e6),
    );
    expect(offsets.length).to.be.above(20_000);
    expect(ksUniform(offsets)).to.be.below(ksCritical(offsets.length, 1e-4));

    // The test has the power to see a spread that is not uniform: the same offsets squared (a
    // density leaning to the minute's start) are far outside.
    const skewed = offsets.map((u) => u * u);
    expect(ksUniform(skewed)).to.be.above(10 * ksCritical(offsets.length, 1e-4));
  });

  it("Azure2019Source draws durations through each function's percentiles", async () => {
    // At each recorded value x, the share of draws <= x estimates the highest percentile p
    // recorded at x (2 ms is both p0 and p1, so 1% of draws are <= 2 ms). With n independent
    // draws its standard error is sqrt(p (1 - p) / n); allowed: z standard errors, z for six
    // checks together (Bonferroni), so the test fails a correct reader for 1 seed in 15,800.
    const path = sharedData("azure2019-1fn");
    // The excerpt's percentiles in ms (durations.csv): 2, 2, 3, 4, 5, 11, 453.
    const points = { 1: 2, 25: 3, 50: 4, 75: 5, 99: 11, 100: 453 };
    const atOrBelow = new Map(Object.keys(points).map((p) => [Number(p), 0]));
    let count = 0;
    await forEachTask({ path, format: "azure2019", toSeconds: 1800 }, 1, (task) => {
      count++;
      for (const [p, ms] of Object.entries(points)) {
        if (task.workMicros <= ms * 1000)
          atOrBelow.set(Number(p), (atOrBelow.get(Number(p)) ?? 0) + 1);
      }
    });
    expect(count).to.be.greaterThan(200_000);
    for (const [p, below] of atOrBelow) {
      const q = p / 100;
      const tolerance = bonferroniZ(atOrBelow.size) * Math.sqrt((q * (1 - q)) / count) + 1e-12;
      expect(below / count, `p${p}`).to.be.closeTo(q, tolerance);
    }
  });

  it("Azure2019Source draws each of the ten functions' durations through its own row of durations.csv", async () => {
    // The draws of a function are independent, through the piecewise-linear inverse CDF of its
    // seven points, so the share of its n draws at or below a recorded value x estimates F(x),
    // the highest percentile recorded at or below x (a value recorded at p0 to p50 holds half
    // the draws). Its standard error is sqrt(F (1 - F) / n); each check is allowed z of them,
    // z = bonferroniZ(checks) over every function and value together, so that the test fails a
    // correct reader for 1 seed in 15,800. Where F is 0 or 1 the share must be exactly that.
    const folder = sharedData("azure2019-10fn");
    const recorded = recordedPercentiles(folder);
    const checks = [...recorded].flatMap(([env, points]) =>
      [...new Set(points.slice(1, 6).map(([, ms]) => ms))].map((ms) => ({
        env,
        micros: ms * 1000,
        expected: Math.max(...points.filter(([, x]) => x <= ms).map(([p]) => p)) / 100,
        atOrBelow: 0,
      })),
    );
    const checksOf = new Map(
      [...recorded.keys()].map((env) => [env, checks.filter((c) => c.env === env)]),
    );
    const draws = new Map([...recorded.keys()].map((env) => [env, 0]));

    await forEachTask({ path: folder, format: "azure2019" }, 1, (task) => {
      draws.set(task.env, (draws.get(task.env) as number) + 1);
      for (const check of checksOf.get(task.env) as typeof checks) {
        if (task.workMicros <= check.micros) check.atOrBelow++;
      }
    });

    expect([...draws.keys()].sort()).to.deep.equal([...recorded.keys()].sort());
    const z = bonferroniZ(checks.filter((c) => c.expected > 0 && c.expected < 1).length);
    for (const { env, micros, expected, atOrBelow } of checks) {
      const n = draws.get(env) as number;
      expect(n, env).to.be.above(10_000);
      const standardError = Math.sqrt((expected * (1 - expected)) / n);
      expect(atOrBelow / n, `${env} at ${micros / 1000} ms`).to.be.closeTo(
        expected,
        z * standardError + 1e-12,
      );
    }
  });

  it('Azure2019Source with spread "poisson" matches each hour\'s count within z sqrt(count)', async () => {
    // A Poisson process at rate c per minute: an hour's count is Poisson with mean the hour's
    // recorded total, so it lies within z standard deviations (sqrt of the mean) of it; z for
    // the two hours together (Bonferroni: 4.16), a false alarm for 1 seed in 15,800.
    const folder = sharedData("azure2019-1fn");
    const counts = await countPerMinute({
      path: folder,
      format: "azure2019",
      spread: "poisson",
      toSeconds: 7200,
    });
    const recorded = recordedCounts(join(folder, "invocations.csv"));
    const [name, perMinute] = [...recorded][0];
    const replayed = counts.get(name) as number[];
    for (const hour of [0, 1]) {
      const expected = perMinute.slice(hour * 60, hour * 60 + 60).reduce((a, b) => a + b, 0);
      const got = replayed.slice(hour * 60, hour * 60 + 60).reduce((a, b) => a + b, 0);
      expect(got).to.be.closeTo(expected, bonferroniZ(2) * Math.sqrt(expected));
      expect(replayed.slice(hour * 60, hour * 60 + 60)).not.to.deep.equal(
        perMinute.slice(hour * 60, hour * 60 + 60),
      );
    }
  });

  it("Azure2019Source gives the same tasks for the same seed and others for another", async () => {
    const spec: Spec = { path: sharedData("azure2019-10fn"), format: "azure2019", toSeconds: 120 };
    const first = await replay(spec, 1);
    const again = await replay(spec, 1);
    const other = await replay(spec, 2);
    expect(rows(again.tasks)).to.deep.equal(rows(first.tasks));
    expect(other.tasks.length).to.equal(first.tasks.length);
    expect(rows(other.tasks)).not.to.deep.equal(rows(first.tasks));
  });
});

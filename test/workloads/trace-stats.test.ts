import { expect } from "chai";
import { RecordingLogger } from "../../sim/logger.js";
import { RandomStreams } from "../../sim/random.js";
import type { TraceWorkloadSpec } from "../../sim/scenario.js";
import { openTrace } from "../../workloads/open.js";
import { traceStats, type TraceStats } from "../../workloads/trace-stats.js";
import { writeTrace } from "./trace-helpers.js";

async function statsOf(
  spec: Partial<TraceWorkloadSpec> & Pick<TraceWorkloadSpec, "path" | "format">,
): Promise<TraceStats> {
  const source = openTrace(
    { kind: "trace", async: false, ...spec },
    {
      index: 0,
      streams: new RandomStreams(1),
      logger: new RecordingLogger(),
      horizonMicros: Infinity,
    },
  );
  return traceStats(source);
}

// P (driver, 0-2 s) launches c1 and c2 (workers) at 2 s; c1 (2-7 s) launches g at 7 s.
const TREE = [
  "arrival,duration,env,id,parent",
  "0,2,driver,P,",
  ",5,workers,c1,P",
  "1,3,driver,Q,",
  ",5,workers,c2,P",
  ",4,workers,g,c1",
].join("\n");

describe("trace stats", () => {
  it("traceStats counts every row of a tree, each child at its earliest launch", async () => {
    const stats = await statsOf({ path: writeTrace("stats-tree.csv", TREE), format: "tasks" });
    expect(stats.total.tasks).to.equal(5);
    expect(Object.keys(stats.environments)).to.deep.equal(["driver", "workers"]);
    expect(stats.environments.driver).to.deep.include({
      tasks: 2,
      firstArrival: 0,
      lastArrival: 1,
    });
    // c1 and c2 at 2 s (P's own work ends), g at 7 s (c1's ends), with no wait anywhere.
    const workers = stats.environments.workers;
    expect(workers).to.deep.include({ tasks: 3, firstArrival: 2, lastArrival: 7 });
    expect(workers.duration.mean).to.be.closeTo(14 / 3, 1e-12);
    expect(workers.duration.max).to.equal(5);
    expect(stats.total).to.deep.include({ firstArrival: 0, lastArrival: 7 });
  });

  it("traceStats of a tree under load 2 counts every copy of every row", async () => {
    const path = writeTrace("stats-tree-load.csv", TREE);
    const stats = await statsOf({ path, format: "tasks", load: 2 });
    expect(stats.total.tasks).to.equal(10);
    expect(stats.environments.workers.tasks).to.equal(6);
  });

  it("traceStats gives null first and last arrivals when no task is in the window", async () => {
    const path = writeTrace("stats-none.csv", "arrival,duration,env\n0,1,a\n5,1,a\n");
    const stats = await statsOf({ path, format: "tasks", fromSeconds: 1, toSeconds: 2 });
    expect(stats.total.tasks).to.equal(0);
    expect(stats.total.firstArrival).to.equal(null);
    expect(stats.total.lastArrival).to.equal(null);
    expect(stats.environments).to.deep.equal({});
    expect(stats.spanMinutes).to.equal(0);
  });

  it("traceStats of a constant 1 s gives every duration percentile as exactly 1", async () => {
    const lines = Array.from({ length: 100 }, (_, i) => `${i},1,a`);
    const path = writeTrace("stats-constant.csv", ["arrival,duration,env", ...lines].join("\n"));
    const { duration } = (await statsOf({ path, format: "tasks" })).environments.a;
    expect(duration).to.deep.equal({ mean: 1, p1: 1, p25: 1, p50: 1, p75: 1, p99: 1, max: 1 });
  });

  it("traceStats gives exact percentiles up to 4096 tasks: rank floor(q (n - 1)) of the sorted", async () => {
    // Durations 1, 2, ..., 101 ms in reverse order: the q-quantile is (1 + floor(100 q)) ms.
    const lines = Array.from({ length: 101 }, (_, i) => `${i},${(101 - i) / 1000},a`);
    const path = writeTrace("stats-exact.csv", ["arrival,duration,env", ...lines].join("\n"));
    const { duration } = (await statsOf({ path, format: "tasks" })).environments.a;
    expect(duration).to.deep.include({ p1: 0.002, p25: 0.026, p50: 0.051, p75: 0.076, p99: 0.1 });
  });

  it("traceStats past 4096 tasks keeps the sketch's percentiles within [min, max]", async () => {
    // A constant duration: the sketch's 0.1% error alone would put p1 at 0.999.
    const lines = Array.from({ length: 5000 }, (_, i) => `${i},1,a`);
    const path = writeTrace("stats-clamped.csv", ["arrival,duration,env", ...lines].join("\n"));
    const { duration } = (await statsOf({ path, format: "tasks" })).environments.a;
    expect([duration.p1, duration.p50, duration.p99]).to.deep.equal([1, 1, 1]);
  });

  it("traceStats rejects an environment named __proto__ at its row, as a run does", async () => {
    const path = writeTrace("stats-proto.csv", "arrival,duration,env\n0,1,a\n1,1,__proto__\n");
    try {
      await statsOf({ path, format: "tasks" });
      expect.fail("expected an error");
    } catch (error) {
      expect((error as Error).message).to.equal(
        `${path}:3:3: "__proto__" in column 3 (env) cannot name an environment: it is reserved ` +
          "(a built-in property of every object); expected another name",
      );
    }
  });

  it("traceStats keys environments by name only: no name reads a built-in property", async () => {
    const path = writeTrace("stats-names.csv", "arrival,duration,env\n0,1,a\n");
    const stats = await statsOf({ path, format: "tasks" });
    expect(Object.getPrototypeOf(stats.environments)).to.equal(null);
    expect(stats.environments.toString).to.equal(undefined);
  });
});

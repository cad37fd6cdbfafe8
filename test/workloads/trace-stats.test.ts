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
});

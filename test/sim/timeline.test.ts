import { expect } from "chai";

import { TIMELINE_COLUMNS } from "../../sim/timeline.js";
import { env, inline, run, scenario } from "../helpers.js";

/**
 * One pool (1-2 replicas, 5 s cold starts, exact timers): two tasks at 0 s and 1 s start two
 * replicas and create the environment; idle_ttl tears it down at 56 s; a task at 200 s creates
 * it again with one replica.
 */
const recreated = scenario(
  [env("api", { replicas: [1, 2], idle_ttl: 30, scaledown_ttl: 30 }, { coldStartSeconds: 5 })],
  [
    inline([
      { arrival: 0, duration: 20, env: "api" },
      { arrival: 1, duration: 20, env: "api" },
      { arrival: 200, duration: 5, env: "api" },
    ]),
  ],
  { timelineStepSeconds: 10 },
);

describe("sim/timeline", () => {
  it("TIMELINE_COLUMNS ends with the per-step counts replicaStarts and envCreations", () => {
    expect(TIMELINE_COLUMNS.slice(-2)).to.deep.equal(["replicaStarts", "envCreations"]);
  });

  it("rows count replica starts and environment creations in the step they happen", async () => {
    const { timeline } = await run(recreated);
    const counted = timeline
      .filter((row) => row.replicaStarts > 0 || row.envCreations > 0)
      .map((row) => [row.time, row.replicaStarts, row.envCreations]);

    expect(counted).to.deep.equal([
      [0, 2, 1],
      [200, 1, 1],
    ]);
  });

  it("the counts over all rows add up to summary.coldStarts", async () => {
    const { summary, timeline } = await run(recreated);
    const total = (pick: (row: (typeof timeline)[number]) => number): number =>
      timeline.reduce((sum, row) => sum + pick(row), 0);

    expect(total((row) => row.replicaStarts)).to.equal(summary.total.coldStarts.replicas);
    expect(total((row) => row.envCreations)).to.equal(summary.total.coldStarts.environments);
    expect(summary.total.coldStarts).to.deep.equal({ replicas: 3, environments: 2 });
  });
});

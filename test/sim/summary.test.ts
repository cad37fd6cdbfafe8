import { expect } from "chai";
import { simulate } from "../../sim/simulation.js";
import type { Task } from "../../sim/task.js";
import { env, inline, scenario, times } from "../helpers.js";

// What summary.json counts, worked by hand. Exact timers, no overheads.

describe("summarise()", () => {
  it("tasks.failedWaiting counts the tasks that failed before they started; the waits leave them out", async () => {
    // pool: 1 replica, no cold start. A (0, 10 s, timeout 8) starts cold at 0 (the replica its
    // arrival created) and fails at 8 while running. B (1, timeout 3) is still waiting at 4: it
    // fails before starting. C (2, timeout 20) takes the slot A frees at 8 (queued, wait 6) and
    // ends at 13. cold: no reuse, a 100 s cold start; D (0, timeout 30) fails at 30 while its
    // replica is still starting. Started: A (wait 0) and C (wait 6); B and D have no wait.
    const ended = new Map<string, Task>();
    const summary = await simulate(
      scenario(
        [
          env("pool", { replicas: 1, idle_ttl: 300, scaledown_ttl: 300 }),
          env("cold", "none", { coldStartSeconds: 100 }),
        ],
        [
          inline([
            { arrival: 0, duration: 10, env: "pool", id: "A", timeout: 8 },
            { arrival: 0, duration: 1, env: "cold", id: "D", timeout: 30 },
            { arrival: 1, duration: 5, env: "pool", id: "B", timeout: 3 },
            { arrival: 2, duration: 5, env: "pool", id: "C", timeout: 20 },
          ]),
        ],
      ),
      { onTaskEnd: (task) => ended.set(task.id, task) },
    );
    expect(times(ended.get("C"))).to.deep.equal({ start: 8, end: 13, kind: "queued", replica: 1 });
    expect(ended.get("B")?.endAt).to.equal(4e6);
    expect(ended.get("D")?.endAt).to.equal(30e6);

    const { pool, cold } = summary.environments;
    expect(pool.tasks).to.deep.equal({
      arrived: 3,
      completed: 1,
      failed: 2,
      cancelled: 0,
      failedWaiting: 1,
      unfinished: 0,
    });
    expect(cold.tasks).to.deep.include({ arrived: 1, failed: 1, failedWaiting: 1 });
    expect(summary.total.tasks).to.deep.include({ failed: 3, failedWaiting: 2 });

    expect(pool.tasksByStart).to.deep.equal({ warm: 0, queued: 1, cold: 1 });
    expect(pool.wait).to.deep.include({ mean: 3, max: 6 });
    expect(cold.tasksByStart).to.deep.equal({ warm: 0, queued: 0, cold: 0 });
    expect(summary.total.wait).to.deep.include({ mean: 3, p50: 0, max: 6 });
  });
});

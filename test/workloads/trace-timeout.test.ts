import { expect } from "chai";
import { simulate } from "../../sim/simulation.js";
import type { Fanout, Task } from "../../sim/task.js";
import type { TaskArrival } from "../../workloads/source.js";
import { env, scenario, times } from "../helpers.js";
import { replay, writeTrace } from "./trace-helpers.js";

// A trace workload's `timeout` holds for every task it replays and every child of its parent
// column, at every depth, as a synthetic workload's does.

const TREE = [
  "arrival,duration,env,id,parent",
  "0,2,pool,P,",
  ",5,pool,C,P",
  ",3,pool,G,C",
  "1,1,pool,Q,",
].join("\n");

/** Every task of the replayed trees, roots and children at every depth: [id, timeout in s]. */
function timeouts(arrivals: readonly TaskArrival[]): [string, number][] {
  const rows: [string, number][] = [];
  const visit = (id: string, timeoutMicros: number, fanout: Fanout | null | undefined) => {
    rows.push([id, timeoutMicros / 1e6]);
    for (let wave = 0; wave < (fanout?.waves ?? 0); wave++) {
      for (const child of fanout?.launch(undefined as never, wave) ?? []) {
        visit(child.id, child.timeoutMicros, child.fanout);
      }
    }
  };
  for (const arrival of arrivals) visit(arrival.id, arrival.timeoutMicros ?? 0, arrival.fanout);
  return rows;
}

describe("trace workloads with a timeout", () => {
  it("openTrace({timeoutSeconds: 20}) gives every root and every child at every depth the timeout", async () => {
    const path = writeTrace("timeout-tree.csv", TREE);
    const { tasks } = await replay({ path, format: "tasks", timeoutSeconds: 20 });
    expect(timeouts(tasks)).to.deep.equal([
      ["P", 20],
      ["C", 20],
      ["G", 20],
      ["Q", 20],
    ]);
    const without = await replay({ path, format: "tasks" });
    expect(timeouts(without.tasks).map(([, seconds]) => seconds)).to.deep.equal([0, 0, 0, 0]);
  });

  it("openTrace({timeoutSeconds, load: 2}) times out the copies too, and keeps their ids", async () => {
    const path = writeTrace("timeout-copies.csv", "arrival,duration,env,id\n0,1,pool,a\n");
    const { tasks } = await replay({ path, format: "tasks", timeoutSeconds: 5, load: 2 });
    expect(timeouts(tasks)).to.deep.equal([
      ["a", 5],
      ["a+2", 5],
    ]);
  });

  it("a replayed tree with a 20 s timeout on one slot fails as worked by hand", async () => {
    // pool: 1 replica, no cold start. P takes the slot 0-2 and launches C, which queues behind
    // it; Q (1) queues too. P fails at its timeout, 0 + 20, and cancels C (G was never
    // launched). The slot frees at 20 but Q's own deadline is 1 + 20 = 21: Q starts at 20 and
    // ends at 21, just in time (a task that ends at its deadline's instant has ended).
    const path = writeTrace("timeout-run.csv", TREE);
    const ended = new Map<string, Task>();
    const summary = await simulate(
      scenario(
        [env("pool", { replicas: 1, idle_ttl: 300, scaledown_ttl: 300 })],
        [{ kind: "trace", path, format: "tasks", async: false, timeoutSeconds: 20 }],
      ),
      { onTaskEnd: (task) => ended.set(task.id, task) },
    );
    expect(ended.get("P")?.endAt).to.equal(20e6);
    expect(ended.get("C")?.endAt).to.equal(20e6);
    expect(times(ended.get("Q"))).to.deep.equal({ start: 20, end: 21, kind: "queued", replica: 1 });
    expect(summary.total.tasks).to.deep.include({
      arrived: 3,
      completed: 1,
      failed: 2,
      cancelled: 1,
    });
  });
});

import { expect } from "chai";
import { env, inline, run, scenario, times } from "../helpers.js";

// Hand-worked lifecycle cases (MODEL.md §2). Every expected time below is worked out by hand
// from the rules, in seconds; comments show the working.

describe("ReusablePool lifecycle", () => {
  it("creates the environment lazily: the first task waits one cold start", async () => {
    // Task at 3 creates the environment; its replica is ready at 3 + 10 = 13; the task runs 13-18.
    // idle_ttl 30 with exact timers: teardown at 18 + 30 = 48.
    const { summary, tasks } = await run(
      scenario(
        [env("api", { replicas: 1, idle_ttl: 30, scaledown_ttl: 30 }, { coldStartSeconds: 10 })],
        [inline([{ arrival: 3, duration: 5, env: "api", id: "t1" }])],
      ),
    );
    expect(times(tasks.get("t1"))).to.deep.equal({ start: 13, end: 18, kind: "cold", replica: 1 });
    expect(summary.endSeconds).to.equal(48);
    expect(summary.total.replicaSeconds).to.deep.include({
      starting: 10,
      busy: 5,
      idle: 30,
      total: 45,
      idleTail: 30,
    });
    expect(summary.total.coldStarts).to.deep.equal({ replicas: 1, environments: 1 });
    expect(summary.total.wait.max).to.equal(10);
  });

  it("scales up one replica at a time during a burst, counting starting replicas", async () => {
    // replicas [1, 3], concurrency 1, cold start 10. t1 (0, 100 s) creates replica 1 (ready 10).
    // At 20 three tasks arrive: t2 waits, demand 2 > 1 slot -> replica 2; t3 waits, demand 3 > 2
    // -> replica 3; t4 waits, 3 replicas = max -> none. Replicas 2 and 3 are ready at 30 and
    // take t2 and t3 (cold, end 35). At 35 t2's slot on replica 2 frees: t4 takes it (queued).
    const { summary, tasks } = await run(
      scenario(
        [
          env(
            "api",
            { replicas: [1, 3], idle_ttl: 600, scaledown_ttl: 600 },
            { coldStartSeconds: 10 },
          ),
        ],
        [
          inline([
            { arrival: 0, duration: 100, env: "api", id: "t1" },
            { arrival: 20, duration: 5, env: "api", id: "t2" },
            { arrival: 20, duration: 5, env: "api", id: "t3" },
            { arrival: 20, duration: 5, env: "api", id: "t4" },
          ]),
        ],
      ),
    );
    expect(times(tasks.get("t1"))).to.deep.equal({ start: 10, end: 110, kind: "cold", replica: 1 });
    expect(times(tasks.get("t2"))).to.deep.equal({ start: 30, end: 35, kind: "cold", replica: 2 });
    expect(times(tasks.get("t3"))).to.deep.equal({ start: 30, end: 35, kind: "cold", replica: 3 });
    expect(times(tasks.get("t4"))).to.deep.equal({
      start: 35,
      end: 40,
      kind: "queued",
      replica: 2,
    });
    expect(summary.total.coldStarts.replicas).to.equal(3);
    expect(summary.total.replicas.peak).to.equal(3);
    expect(summary.total.tasksByStart).to.deep.equal({ warm: 0, queued: 1, cold: 3 });
  });

  it("packs tasks onto the lowest-id replica with a free slot (concurrency 2)", async () => {
    // replicas 2 (fixed), concurrency 2, no cold start: replicas 1 and 2 ready at 0.
    // a, b fill replica 1; c goes to replica 2. At 5, a ends; d (at 6) goes to replica 1 although
    // replica 2 has a free slot.
    const { tasks } = await run(
      scenario(
        [env("api", { replicas: 2, concurrency: 2, idle_ttl: 600, scaledown_ttl: 600 })],
        [
          inline([
            { arrival: 0, duration: 5, env: "api", id: "a" },
            { arrival: 0, duration: 50, env: "api", id: "b" },
            { arrival: 1, duration: 50, env: "api", id: "c" },
            { arrival: 6, duration: 50, env: "api", id: "d" },
          ]),
        ],
      ),
    );
    expect(["a", "b", "c", "d"].map((id) => times(tasks.get(id)).replica)).to.deep.equal([
      1, 1, 2, 1,
    ]);
    // a and b: the environment was created by a, whose replicas were ready at the same instant.
    expect(times(tasks.get("c")).kind).to.equal("warm");
    expect(times(tasks.get("d")).kind).to.equal("warm");
  });

  const scaleDownCase = (controlPeriodSeconds: number) =>
    run(
      scenario(
        [env("api", { replicas: [1, 2], idle_ttl: 3600, scaledown_ttl: 30 })],
        [
          inline([
            { arrival: 0, duration: 100, env: "api", id: "long" },
            { arrival: 1, duration: 11, env: "api", id: "short" },
          ]),
        ],
        { controlPeriodSeconds },
      ),
    );

  it("removes an idle replica above min exactly at scaledown_ttl with exact timers", async () => {
    // "short" forces replica 2 (no cold start): it runs 1-12, so replica 2 is idle from 12 and
    // removed at 12 + 30 = 42. Replica 1 (min) stays until teardown at 100 + 3600.
    const { summary, tasks } = await scaleDownCase(0);
    expect(times(tasks.get("short")).replica).to.equal(2);
    // Replica-seconds: replica 1 lives 0-3700, replica 2 lives 1-42.
    expect(summary.total.replicaSeconds.total).to.equal(3700 + 41);
    expect(summary.endSeconds).to.equal(3700);
  });

  it("removes it at the first control tick after scaledown_ttl with a 5 s period", async () => {
    // Idle from 12, due at 42: the ticks are at multiples of 5, so the removal happens at 45.
    // Teardown is due at 3700, itself a tick.
    const { summary } = await scaleDownCase(5);
    expect(summary.total.replicaSeconds.total).to.equal(3700 + 44);
  });

  it("tears the environment down after idle_ttl regardless of min, then cold-starts again", async () => {
    // replicas [2, 3], idle_ttl 60, cold start 10. t1 at 0 runs 10-15; the environment is idle
    // from 15 and torn down at 75 (both replicas, although min is 2). t2 at 100 creates it again:
    // two new replicas, ready at 110; t2 runs 110-115; teardown at 175.
    const { summary, tasks } = await run(
      scenario(
        [
          env(
            "api",
            { replicas: [2, 3], idle_ttl: 60, scaledown_ttl: 30 },
            { coldStartSeconds: 10 },
          ),
        ],
        [
          inline([
            { arrival: 0, duration: 5, env: "api", id: "t1" },
            { arrival: 100, duration: 5, env: "api", id: "t2" },
          ]),
        ],
      ),
    );
    expect(times(tasks.get("t2"))).to.deep.equal({
      start: 110,
      end: 115,
      kind: "cold",
      replica: 3,
    });
    expect(summary.total.coldStarts).to.deep.equal({ replicas: 4, environments: 2 });
    expect(summary.endSeconds).to.equal(175);
    // Each incarnation: 2 replicas x 75 s; the idle tail is 2 x 60 per incarnation.
    expect(summary.total.replicaSeconds.total).to.equal(300);
    expect(summary.total.replicaSeconds.idleTail).to.equal(240);
  });
});

describe("NoReuse baseline", () => {
  it("gives every task a fresh cold start and removes the replica when the task ends", async () => {
    const { summary, tasks } = await run(
      scenario(
        [env("batch", "none", { coldStartSeconds: 7 })],
        [
          inline([
            { arrival: 0, duration: 3, env: "batch", id: "a" },
            { arrival: 1, duration: 3, env: "batch", id: "b" },
            { arrival: 20, duration: 3, env: "batch", id: "c" },
          ]),
        ],
      ),
    );
    expect(times(tasks.get("a"))).to.deep.equal({ start: 7, end: 10, kind: "cold", replica: 1 });
    expect(times(tasks.get("b"))).to.deep.equal({ start: 8, end: 11, kind: "cold", replica: 2 });
    expect(times(tasks.get("c"))).to.deep.equal({ start: 27, end: 30, kind: "cold", replica: 3 });
    expect(summary.total.replicaSeconds).to.deep.include({ starting: 21, busy: 9, idle: 0 });
    expect(summary.total.coldStarts.replicas).to.equal(3);
    expect(summary.endSeconds).to.equal(30);
  });
});

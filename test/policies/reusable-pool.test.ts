import { expect } from "chai";
import { simulate } from "../../sim/simulation.js";
import type { Task } from "../../sim/task.js";
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

  for (const maxReplicas of [10, 20]) {
    it(`scales up one replica per waiting arrival during a long cold start, with 5 s ticks (replicas [1, ${maxReplicas}])`, async () => {
      // Concurrency 1, cold start 30 s, control ticks every 5 s; 12 tasks of 10 s, four at each
      // of 0, 1 and 2 s. The first creates the environment with replica 1 (starting) and waits:
      // demand 1 is not above 1 slot. Every later arrival waits and makes demand exceed the
      // slots of the replicas starting by one, so each requests exactly one more: replicas 2-4
      // at 0, 5-8 at 1, 9-12 at 2, up to max. The ticks at 0, 5, ..., 25 find demand (12) at
      // most the slots of starting replicas, or the pool at max: they request nothing. Comparing
      // demand with ready slots only (none before 30) would request a replica for the first task
      // and one more at every tick.
      const requested: [number, number][] = [];
      const tasks = new Map<string, Task>();
      const summary = await simulate(
        scenario(
          [
            env(
              "api",
              { replicas: [1, maxReplicas], idle_ttl: 600, scaledown_ttl: 600 },
              { coldStartSeconds: 30 },
            ),
          ],
          [
            inline(
              Array.from({ length: 12 }, (_, i) => ({
                arrival: Math.floor(i / 4),
                duration: 10,
                env: "api",
                id: `t${i + 1}`,
              })),
            ),
          ],
          { controlPeriodSeconds: 5 },
        ),
        {
          onTaskEnd: (task) => tasks.set(task.id, task),
          onReplicaEvent: (event) => {
            if (event.kind === "requested") requested.push([event.replica.id, event.at / 1e6]);
          },
        },
      );

      const expected: [number, number][] = [
        [1, 0],
        [2, 0],
        [3, 0],
        [4, 0],
        [5, 1],
        [6, 1],
        [7, 1],
        [8, 1],
        [9, 2],
        [10, 2],
        [11, 2],
        [12, 2],
      ];
      expect(requested).to.deep.equal(expected.slice(0, Math.min(12, maxReplicas)));
      expect(summary.total.replicas.peak).to.equal(Math.min(12, maxReplicas));

      // Each replica is ready 30 s after its request and takes the first task waiting (cold):
      // t10 gets replica 10 at 32. At max 10, t11 and t12 wait for the first slots to free:
      // t1-t4 end at 40 on replicas 1-4, so t11 and t12 start queued on replicas 1 and 2.
      expect(times(tasks.get("t10"))).to.deep.equal({
        start: 32,
        end: 42,
        kind: "cold",
        replica: 10,
      });
      expect(times(tasks.get("t12"))).to.deep.equal(
        maxReplicas === 10
          ? { start: 40, end: 50, kind: "queued", replica: 2 }
          : { start: 32, end: 42, kind: "cold", replica: 12 },
      );
    });
  }

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

describe("ReusablePool same-instant order (MODEL.md §2.10)", () => {
  it("a slot freed at t is free for a task arriving at t: it starts warm, no scale-up", async () => {
    // replicas [1, 2], no cold start. a runs 0-10 on replica 1; b arrives at 10, after a's
    // completion, so it takes replica 1 at once. Were the arrival first, b would wait and start
    // a second replica.
    const { summary, tasks } = await run(
      scenario(
        [env("api", { replicas: [1, 2], idle_ttl: 600, scaledown_ttl: 600 })],
        [
          inline([
            { arrival: 0, duration: 10, env: "api", id: "a" },
            { arrival: 10, duration: 5, env: "api", id: "b" },
          ]),
        ],
      ),
    );
    expect(times(tasks.get("b"))).to.deep.equal({ start: 10, end: 15, kind: "warm", replica: 1 });
    expect(summary.total.coldStarts.replicas).to.equal(1);
  });

  it("a completion at t comes before a replica becoming ready at t: the waiting task is queued", async () => {
    // replicas [1, 2], cold start 10. t1 (0) creates replica 1, ready at 10, and runs 10-30.
    // t2 (20) waits: demand 2 > 1 slot, so replica 2 starts, ready at 30. At 30 t1's completion
    // is handled first: t2 takes the freed slot on replica 1 (queued), and replica 2 comes up idle.
    const { tasks } = await run(
      scenario(
        [
          env(
            "api",
            { replicas: [1, 2], idle_ttl: 600, scaledown_ttl: 600 },
            { coldStartSeconds: 10 },
          ),
        ],
        [
          inline([
            { arrival: 0, duration: 20, env: "api", id: "t1" },
            { arrival: 20, duration: 5, env: "api", id: "t2" },
          ]),
        ],
      ),
    );
    expect(times(tasks.get("t2"))).to.deep.equal({
      start: 30,
      end: 35,
      kind: "queued",
      replica: 1,
    });
  });

  it("a replica ready at t takes a task arriving at t warm", async () => {
    // replicas 2, cold start 10: t1 (0) starts both replicas, ready at 10; t1 takes replica 1
    // (cold). t2 arrives at 10, after the replicas became ready: replica 2 is free, so warm.
    const { tasks } = await run(
      scenario(
        [env("api", { replicas: 2, idle_ttl: 600, scaledown_ttl: 600 }, { coldStartSeconds: 10 })],
        [
          inline([
            { arrival: 0, duration: 50, env: "api", id: "t1" },
            { arrival: 10, duration: 5, env: "api", id: "t2" },
          ]),
        ],
      ),
    );
    expect(times(tasks.get("t1"))).to.deep.equal({ start: 10, end: 60, kind: "cold", replica: 1 });
    expect(times(tasks.get("t2"))).to.deep.equal({ start: 10, end: 15, kind: "warm", replica: 2 });
  });

  for (const controlPeriodSeconds of [0, 5]) {
    it(`an arrival at the teardown instant comes first and starts warm (control period ${controlPeriodSeconds})`, async () => {
      // replicas 1, idle_ttl 60: t1 runs 0-15, teardown due at 75 (a tick, too). t2 arrives at
      // 75, before the control step: it takes the live replica, and the environment lives on.
      const { summary, tasks } = await run(
        scenario(
          [env("api", { replicas: 1, idle_ttl: 60, scaledown_ttl: 30 })],
          [
            inline([
              { arrival: 0, duration: 15, env: "api", id: "t1" },
              { arrival: 75, duration: 5, env: "api", id: "t2" },
            ]),
          ],
          { controlPeriodSeconds },
        ),
      );
      expect(times(tasks.get("t2"))).to.deep.equal({
        start: 75,
        end: 80,
        kind: "warm",
        replica: 1,
      });
      expect(summary.total.coldStarts).to.deep.equal({ replicas: 1, environments: 1 });
      expect(summary.endSeconds).to.equal(140);
    });
  }
});

describe("ReusablePool scale-down and teardown, more cases", () => {
  it("scale-down removes the highest id first when several replicas expire together", async () => {
    // replicas [2, 3], no cold start. t1 creates replicas 1 and 2 and takes 1; t2 takes 2; t3
    // waits, demand 3 > 2 slots, so replica 3 starts and takes it. All end at 10 and are idle
    // from then: all three expire at 10 + 30 = 40, but only one may go (min 2): replica 3.
    const removals: { id: number; at: number; reason: string | undefined }[] = [];
    const summary = await simulate(
      scenario(
        [env("api", { replicas: [2, 3], idle_ttl: 3600, scaledown_ttl: 30 })],
        [inline(["t1", "t2", "t3"].map((id) => ({ arrival: 0, duration: 10, env: "api", id })))],
      ),
      {
        onReplicaEvent: (event) => {
          if (event.kind === "removed") {
            removals.push({ id: event.replica.id, at: event.at / 1e6, reason: event.reason });
          }
        },
      },
    );
    expect(removals).to.deep.equal([
      { id: 3, at: 40, reason: "scaledown" },
      { id: 1, at: 3610, reason: "teardown" },
      { id: 2, at: 3610, reason: "teardown" },
    ]);
    expect(summary.total.replicaSeconds.total).to.equal(40 + 2 * 3610);
  });

  for (const controlPeriodSeconds of [0, 5]) {
    it(`idle_ttl == scaledown_ttl: the quiet environment is torn down whole, none of it scaled down (control period ${controlPeriodSeconds})`, async () => {
      // replicas [1, 3], both TTLs 60 s, no cold start. t1, t2, t3 arrive at 0 and each gets a
      // replica of its own (demand 2 > 1 slot, then 3 > 2); all end at 10. At 70 (a tick too)
      // replicas 2 and 3 are past scaledown_ttl and the environment past idle_ttl: teardown is
      // checked first (MODEL.md §2.8: if idle_ttl <= scaledown_ttl, scale-down never acts), so
      // all three go as the teardown.
      const removals: { id: number; at: number; reason: string | undefined }[] = [];
      const summary = await simulate(
        scenario(
          [env("api", { replicas: [1, 3], idle_ttl: 60, scaledown_ttl: 60 })],
          [inline(["t1", "t2", "t3"].map((id) => ({ arrival: 0, duration: 10, env: "api", id })))],
          { controlPeriodSeconds },
        ),
        {
          onReplicaEvent: (event) => {
            if (event.kind === "removed") {
              removals.push({ id: event.replica.id, at: event.at / 1e6, reason: event.reason });
            }
          },
        },
      );
      expect(removals).to.deep.equal([
        { id: 1, at: 70, reason: "teardown" },
        { id: 2, at: 70, reason: "teardown" },
        { id: 3, at: 70, reason: "teardown" },
      ]);
      expect(summary.total.replicaSeconds).to.deep.include({ busy: 30, idle: 180, idleTail: 180 });
    });

    it(`tears down idle_ttl after the last activity when the only waiting task times out (control period ${controlPeriodSeconds})`, async () => {
      // replicas 1, idle_ttl 30, cold start 100. t1 at 0 creates the environment (its last
      // activity) and waits; it fails at its 10 s timeout, leaving nothing running or waiting.
      // The teardown is due at 0 + 30 = 30, with exact timers as with 5 s ticks; the replica is
      // removed while still starting.
      const { summary } = await run(
        scenario(
          [env("api", { replicas: 1, idle_ttl: 30, scaledown_ttl: 30 }, { coldStartSeconds: 100 })],
          [inline([{ arrival: 0, duration: 5, env: "api", id: "t1", timeout: 10 }])],
          { controlPeriodSeconds },
        ),
      );
      expect(summary.total.tasks).to.deep.include({ arrived: 1, failed: 1, completed: 0 });
      expect(summary.endSeconds).to.equal(30);
      expect(summary.total.replicaSeconds).to.deep.include({ starting: 30, busy: 0, idle: 0 });
    });
  }

  it("charges the first-task overhead once per replica and the dispatch overhead on every task", async () => {
    // replicas 1, no cold start, firstTaskOverhead 2, dispatchOverhead 0.5. a (0) is placed at 0
    // on the fresh replica: starts at 0 + 2 + 0.5, runs 3 s, ends 5.5. b (1) waits for the slot,
    // placed at 5.5: starts 6, ends 9. c (20) is placed at once: starts 20.5, ends 23.5.
    const { summary, tasks } = await run(
      scenario(
        [
          env(
            "api",
            { replicas: 1, idle_ttl: 600, scaledown_ttl: 600 },
            { firstTaskOverheadSeconds: 2, dispatchOverheadSeconds: 0.5 },
          ),
        ],
        [
          inline([
            { arrival: 0, duration: 3, env: "api", id: "a" },
            { arrival: 1, duration: 3, env: "api", id: "b" },
            { arrival: 20, duration: 3, env: "api", id: "c" },
          ]),
        ],
      ),
    );
    expect(times(tasks.get("a"))).to.deep.include({ start: 2.5, end: 5.5 });
    expect(times(tasks.get("b"))).to.deep.include({ start: 6, end: 9, kind: "queued" });
    expect(times(tasks.get("c"))).to.deep.include({ start: 20.5, end: 23.5, kind: "warm" });
    // Waits run to the start of the task's own code: 2.5, 5 and 0.5.
    expect(summary.total.wait.mean).to.be.closeTo((2.5 + 5 + 0.5) / 3, 1e-6); // printed to 1 µs
    expect(summary.total.wait.max).to.equal(5);
    // The slot is held from placement, overheads included: busy 0-5.5, 5.5-9, 20-23.5.
    expect(summary.total.replicaSeconds.busy).to.equal(12.5);
  });

  it("a task that times out during its dispatch overhead never started: no start, kind or wait", async () => {
    // replicas 1, no cold start, dispatchOverhead 2. a (0, timeout 1) is placed at 0 and would
    // start at 2, but fails at 1: its code never ran. b (0.5) takes the freed slot at 1, starts
    // at 3 (a wait of 2.5), ends at 6. Only b counts as started.
    const { summary, tasks } = await run(
      scenario(
        [
          env(
            "api",
            { replicas: 1, idle_ttl: 600, scaledown_ttl: 600 },
            { dispatchOverheadSeconds: 2 },
          ),
        ],
        [
          inline([
            { arrival: 0, duration: 3, env: "api", id: "a", timeout: 1 },
            { arrival: 0.5, duration: 3, env: "api", id: "b" },
          ]),
        ],
      ),
    );
    expect(times(tasks.get("a"))).to.deep.include({ start: -1e-6, end: 1, replica: 1 });
    expect(times(tasks.get("b"))).to.deep.include({ start: 3, end: 6, kind: "queued" });
    expect(summary.total.tasksByStart).to.deep.equal({ warm: 0, queued: 1, cold: 0 });
    expect(summary.total.wait).to.deep.include({ mean: 2.5, max: 2.5 });
    expect(summary.total.tasks).to.deep.include({ completed: 1, failed: 1 });
    // a held its slot from its placement to its failure: busy 0-1, then b 1-6.
    expect(summary.total.replicaSeconds.busy).to.equal(6);
  });
});

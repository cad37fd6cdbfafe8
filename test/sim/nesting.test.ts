import { expect } from "chai";
import { RecordingLogger } from "../../sim/logger.js";
import { simulate } from "../../sim/simulation.js";
import type { Task } from "../../sim/task.js";
import { env, inline, run, scenario, times } from "../helpers.js";

// Parent and child tasks, starvation and timeouts (MODEL.md §3), hand-worked. No cold start and
// exact timers unless said; a parent holds its slot from its start until its tail has run.

const threeChildren = [
  { duration: 5, id: "c1" },
  { duration: 5, id: "c2" },
  { duration: 5, id: "c3" },
];

describe("simulate() with nested tasks", () => {
  it("replicas=1, concurrency=1: a parent with 3 children starves, is detected at once, fails at its timeout", async () => {
    // P runs its setup 0-2 on the only slot, then launches c1-c3, which queue behind it: every
    // slot (1 x 1) is held by a parent waiting on children queued here. Detected at 2. P's
    // timeout (60 s after its arrival) fails it at 60 and cancels its three children.
    const logger = new RecordingLogger();
    const tasks = new Map<string, Task>();
    const summary = await simulate(
      scenario(
        [env("pool", { replicas: 1, idle_ttl: 300, scaledown_ttl: 300 })],
        [
          inline([
            { arrival: 0, duration: 2, env: "pool", id: "P", timeout: 60, children: threeChildren },
          ]),
        ],
      ),
      { logger, onTaskEnd: (task) => tasks.set(task.id, task) },
    );

    expect(summary.environments.pool.starvation).to.deep.equal([
      { at: 2, env: "pool", slots: 1, parents: ["P"], children: ["c1", "c2", "c3"] },
    ]);
    expect(logger.warnings.some((w) => w.includes("starvation") && w.includes("at 2 s"))).to.equal(
      true,
    );
    expect(summary.total.tasks).to.deep.equal({
      arrived: 4,
      completed: 0,
      failed: 4,
      cancelled: 3,
      unfinished: 0,
    });
    expect(tasks.get("P")?.endAt).to.equal(60e6);
    expect(tasks.get("c1")?.endAt).to.equal(60e6);

    // The slot P frees at 60 goes to none of its cancelled children: they never started.
    for (const id of ["c1", "c2", "c3"]) expect(tasks.get(id)?.startAt, id).to.equal(-1);
    // P waited for the replica its arrival created (a cold start of 0 s still counts as cold).
    expect(summary.total.tasksByStart).to.deep.equal({ warm: 0, queued: 0, cold: 1 });
    expect(summary.total.wait.max).to.equal(0);
  });

  it("replicas=2 completes: children take the second slot one after another", async () => {
    // P on replica 1 (0-2 setup). c1 on replica 2 at 2-7, c2 queued 7-12, c3 queued 12-17;
    // then P's tail of 1 s: P ends at 18.
    const { summary, tasks } = await run(
      scenario(
        [env("pool", { replicas: 2, idle_ttl: 300, scaledown_ttl: 300 })],
        [
          inline([
            { arrival: 0, duration: 2, env: "pool", id: "P", tail: 1, children: threeChildren },
          ]),
        ],
      ),
    );
    expect(times(tasks.get("c1"))).to.deep.equal({ start: 2, end: 7, kind: "warm", replica: 2 });
    expect(times(tasks.get("c2"))).to.deep.equal({ start: 7, end: 12, kind: "queued", replica: 2 });
    expect(times(tasks.get("c3"))).to.deep.equal({
      start: 12,
      end: 17,
      kind: "queued",
      replica: 2,
    });
    expect(times(tasks.get("P")).end).to.equal(18);
    expect(summary.total.wait.max).to.equal(10);
    expect(summary.environments.pool.starvation).to.deep.equal([]);
    expect(summary.total.tasks.completed).to.equal(4);
  });

  it("the parent in a separate non-reusable environment completes", async () => {
    // P runs in its own container (no reuse); its children get the pool's one slot in turn.
    const { summary, tasks } = await run(
      scenario(
        [env("driver", "none"), env("work", { replicas: 1, idle_ttl: 300, scaledown_ttl: 300 })],
        [
          inline([
            {
              arrival: 0,
              duration: 2,
              env: "driver",
              id: "P",
              children: threeChildren.map((c) => ({ ...c, env: "work" })),
            },
          ]),
        ],
      ),
    );
    expect(times(tasks.get("c3"))).to.deep.equal({
      start: 12,
      end: 17,
      kind: "queued",
      replica: 1,
    });
    expect(times(tasks.get("P")).end).to.equal(17);
    expect(summary.total.tasks.completed).to.equal(4);
  });

  it("async parent and children with concurrency 4 on one replica complete together", async () => {
    // One replica, 4 slots: P holds one, the children take the other three at 2 and end at 7.
    const { tasks } = await run(
      scenario(
        [env("pool", { replicas: 1, concurrency: 4, idle_ttl: 300, scaledown_ttl: 300 })],
        [inline([{ arrival: 0, duration: 2, env: "pool", id: "P", children: threeChildren }])],
      ),
    );
    for (const id of ["c1", "c2", "c3"]) {
      expect(times(tasks.get(id))).to.deep.equal({ start: 2, end: 7, kind: "warm", replica: 1 });
    }
    expect(times(tasks.get("P")).end).to.equal(7);
  });

  it("depth 2 with children in other environments completes in the worked order", async () => {
    // P (env a) 0-1, launches C1, C2 in b (2 replicas): both 1-3. At 3 C1 then C2 launch two
    // grandchildren each into c (1 replica, 4 s each): G1.1 3-7, G1.2 7-11, G2.1 11-15,
    // G2.2 15-19. C1 ends at 11, C2 at 19, P at 19.
    const grandchildren = (prefix: string) => [
      { duration: 4, env: "c", id: `${prefix}.1` },
      { duration: 4, env: "c", id: `${prefix}.2` },
    ];
    const { summary, tasks } = await run(
      scenario(
        [
          env("a", { replicas: 1, idle_ttl: 300, scaledown_ttl: 300 }),
          env("b", { replicas: 2, idle_ttl: 300, scaledown_ttl: 300 }),
          env("c", { replicas: 1, idle_ttl: 300, scaledown_ttl: 300 }),
        ],
        [
          inline([
            {
              arrival: 0,
              duration: 1,
              env: "a",
              id: "P",
              children: [
                { duration: 2, env: "b", id: "C1", children: grandchildren("G1") },
                { duration: 2, env: "b", id: "C2", children: grandchildren("G2") },
              ],
            },
          ]),
        ],
      ),
    );
    const ends = ["G1.1", "G1.2", "G2.1", "G2.2", "C1", "C2", "P"].map(
      (id) => times(tasks.get(id)).end,
    );
    expect(ends).to.deep.equal([7, 11, 15, 19, 11, 19, 19]);
    expect(summary.total.tasks).to.deep.include({ arrived: 7, completed: 7, unfinished: 0 });
  });

  it("depth 2 in one environment: parents and children holding every slot is starvation", async () => {
    // replicas 3, all in pool, no cold start. P (setup 0-1) launches C1 and C2, which take the
    // other two slots at 1; at 3 both end their setup and launch two grandchildren each, which
    // queue. P waits on C1 and C2, which wait on grandchildren that can never get a slot: starved
    // at 3, once C2 has launched. P's timeout at 50 fails it and cancels its six descendants.
    const tasks = new Map<string, Task>();
    const grandchildren = (prefix: string) => [
      { duration: 4, id: `${prefix}.1` },
      { duration: 4, id: `${prefix}.2` },
    ];
    const summary = await simulate(
      scenario(
        [env("pool", { replicas: 3, idle_ttl: 300, scaledown_ttl: 300 })],
        [
          inline([
            {
              arrival: 0,
              duration: 1,
              env: "pool",
              id: "P",
              timeout: 50,
              children: [
                { duration: 2, id: "C1", children: grandchildren("G1") },
                { duration: 2, id: "C2", children: grandchildren("G2") },
              ],
            },
          ]),
        ],
      ),
      { onTaskEnd: (task) => tasks.set(task.id, task) },
    );
    expect(summary.environments.pool.starvation).to.deep.equal([
      {
        at: 3,
        env: "pool",
        slots: 3,
        parents: ["P", "C1", "C2"],
        children: ["G1.1", "G1.2", "G2.1", "G2.2"],
      },
    ]);
    expect(summary.total.tasks).to.deep.equal({
      arrived: 7,
      completed: 0,
      failed: 7,
      cancelled: 6,
      unfinished: 0,
    });
    expect(tasks.get("G1.1")?.startAt).to.equal(-1);
    expect(tasks.get("C2")?.endAt).to.equal(50e6);
  });

  it("a parent whose child runs in the same full environment is not starved", async () => {
    // replicas 2: P (0-1) launches C, which takes the second slot; C is running (not waiting on
    // anything), so it ends at 3 and P goes on. All slots are taken, one by a parent, but
    // nothing is stuck.
    const { summary, tasks } = await run(
      scenario(
        [env("pool", { replicas: 2, idle_ttl: 300, scaledown_ttl: 300 })],
        [
          inline([
            {
              arrival: 0,
              duration: 1,
              env: "pool",
              id: "P",
              children: [{ duration: 2, id: "C" }],
            },
          ]),
        ],
      ),
    );
    expect(summary.environments.pool.starvation).to.deep.equal([]);
    expect(times(tasks.get("P")).end).to.equal(3);
  });

  it("starvation that begins when a child in another environment ends is detected then", async () => {
    // P holds pool's only slot from 0; at 1 it launches X into other and C into pool, where C
    // queues behind P. While X runs (1-6) P may still go on: not starved. When X ends at 6, P
    // waits only on C, queued behind it: starved from 6. P's timeout fails it at 60, and C is
    // cancelled with it.
    const { summary, tasks } = await run(
      scenario(
        [
          env("pool", { replicas: 1, idle_ttl: 300, scaledown_ttl: 300 }),
          env("other", { replicas: 1, idle_ttl: 300, scaledown_ttl: 300 }),
        ],
        [
          inline([
            {
              arrival: 0,
              duration: 1,
              env: "pool",
              id: "P",
              timeout: 60,
              children: [
                { duration: 5, env: "other", id: "X" },
                { duration: 1, id: "C" },
              ],
            },
          ]),
        ],
      ),
    );
    expect(summary.environments.pool.starvation).to.deep.equal([
      { at: 6, env: "pool", slots: 1, parents: ["P"], children: ["C"] },
    ]);
    expect(times(tasks.get("X")).end).to.equal(6);
    expect(tasks.get("P")?.endAt).to.equal(60e6);
    expect(summary.total.tasks).to.deep.include({ completed: 1, failed: 2, cancelled: 1 });
  });

  it("depth 2 starving in the children's environment is detected, and the run still ends", async () => {
    // C1 and C2 hold both slots of b while their grandchildren queue in b: starved at 3.
    // No timeout: nothing moves after 3 (the stall), and the first control tick with nothing
    // left to happen but ticks (5 s) ends the run.
    const logger = new RecordingLogger();
    const tasks = new Map<string, Task>();
    const grandchildren = (prefix: string) => [
      { duration: 4, id: `${prefix}.1` },
      { duration: 4, id: `${prefix}.2` },
    ];
    const summary = await simulate(
      scenario(
        [
          env("a", { replicas: 1, idle_ttl: 300, scaledown_ttl: 300 }),
          env("b", { replicas: 2, idle_ttl: 300, scaledown_ttl: 300 }),
        ],
        [
          inline([
            {
              arrival: 0,
              duration: 1,
              env: "a",
              id: "P",
              children: [
                { duration: 2, env: "b", id: "C1", children: grandchildren("G1") },
                { duration: 2, env: "b", id: "C2", children: grandchildren("G2") },
              ],
            },
          ]),
        ],
        { controlPeriodSeconds: 5 },
      ),
      { logger, onTaskEnd: (task) => tasks.set(task.id, task) },
    );
    expect(summary.environments.b.starvation).to.deep.equal([
      {
        at: 3,
        env: "b",
        slots: 2,
        parents: ["C1", "C2"],
        children: ["G1.1", "G1.2", "G2.1", "G2.2"],
      },
    ]);
    expect(summary.environments.a.starvation).to.deep.equal([]);
    expect(summary.stalledAt).to.equal(3);
    expect(summary.endSeconds).to.equal(5);
    expect(summary.total.tasks).to.deep.equal({
      arrived: 7,
      completed: 0,
      failed: 0,
      cancelled: 0,
      unfinished: 7,
    });
    expect(tasks.size).to.equal(7); // unfinished tasks are still reported, once each
    expect(logger.warnings.some((w) => w.includes("stalled at 3 s"))).to.equal(true);
  });

  for (const controlPeriodSeconds of [0, 5]) {
    it(`a stall leaves other environments to tear down in their own time (control period ${controlPeriodSeconds})`, async () => {
      // P holds pool's only slot from 0 while its child queues there, with no timeout: stuck for
      // ever. In "other", X runs 0-10; the last thing that moves is X's end at 10 (the stall).
      // "other" is torn down idle_ttl later, at 70, on a tick as with exact timers; the run
      // ends then, and pool's stuck replica is counted until the end.
      const { summary } = await run(
        scenario(
          [
            env("pool", { replicas: 1, idle_ttl: 60, scaledown_ttl: 60 }),
            env("other", { replicas: 1, idle_ttl: 60, scaledown_ttl: 60 }),
          ],
          [
            inline([
              {
                arrival: 0,
                duration: 1,
                env: "pool",
                id: "P",
                children: [{ duration: 1, id: "c" }],
              },
              { arrival: 0, duration: 10, env: "other", id: "X" },
            ]),
          ],
          { controlPeriodSeconds },
        ),
      );
      expect(summary.stalledAt).to.equal(10);
      expect(summary.endSeconds).to.equal(70);
      expect(summary.environments.other.replicaSeconds).to.deep.include({
        busy: 10,
        idle: 60,
        idleTail: 60,
      });
      expect(summary.environments.pool.replicaSeconds.total).to.equal(70);
      expect(summary.total.tasks).to.deep.include({ completed: 1, unfinished: 2 });
    });
  }

  it("conservation with failures: arrived = completed + failed + unfinished", async () => {
    // Two parents starve one slot each in turn; the second's timeout is short. Mixed outcomes.
    const { summary } = await run(
      scenario(
        [
          env(
            "pool",
            { replicas: [1, 2], idle_ttl: 300, scaledown_ttl: 300 },
            { coldStartSeconds: 3 },
          ),
        ],
        [
          inline([
            {
              arrival: 0,
              duration: 1,
              env: "pool",
              id: "A",
              timeout: 100,
              children: threeChildren,
            },
            {
              arrival: 0.5,
              duration: 1,
              env: "pool",
              id: "B",
              timeout: 4,
              children: threeChildren.map((c) => ({ ...c, id: `b${c.id}` })),
            },
            { arrival: 1, duration: 30, env: "pool", id: "X", timeout: 10 },
          ]),
        ],
      ),
    );
    const t = summary.total.tasks;
    expect(t.arrived).to.equal(t.completed + t.failed + t.unfinished);
    expect(t.failed).to.be.greaterThan(0);
    expect(t.completed).to.be.greaterThan(0);
  });
});

import { expect } from "chai";
import { makeSampler } from "../../sim/distributions.js";
import { UserError } from "../../sim/errors.js";
import { simulate } from "../../sim/simulation.js";
import { env, inline, run, scenario } from "../helpers.js";

// When a run ends (Summary.endSeconds): at the last thing that happened, every task ended and
// every environment torn down. Events left in the queue that find nothing to act on must not
// move the end, nor the means taken over the run, nor add timeline rows.

describe("simulate() run end", () => {
  it("simulate() ends at the teardown, not at a scale-down timer armed for later (exact timers)", async () => {
    // replicas 1, idle_ttl 30, scaledown_ttl 300, no cold start. t1 runs 0-5; a scale-down timer
    // is armed for 5 + 300 = 305, but the environment is torn down at 5 + 30 = 35.
    const { summary, timeline } = await run(
      scenario(
        [env("api", { replicas: 1, idle_ttl: 30, scaledown_ttl: 300 })],
        [inline([{ arrival: 0, duration: 5, env: "api", id: "t1" }])],
        { controlPeriodSeconds: 0, timelineStepSeconds: 10 },
      ),
    );
    expect(summary.endSeconds).to.equal(35);
    expect(summary.total.replicas.mean).to.equal(1);
    expect(timeline.map((row) => row.time)).to.deep.equal([0, 10, 20, 30]);
  });

  it("simulate() ends at the teardown that removed a replica while it was starting", async () => {
    // replicas [1, 2], cold start 45, idle_ttl 30. a (0 s) creates replica 1, ready at 45.
    // b (44 s) waits, so replica 2 is requested at 44 (ready at 89). a runs 45-46, b 46-47 on
    // replica 1. Empty from 47: torn down at 77, replica 2 still starting. Its ready time (89)
    // finds it removed: the run ends at 77.
    for (const controlPeriodSeconds of [0, 5]) {
      const { summary } = await run(
        scenario(
          [
            env(
              "api",
              { replicas: [1, 2], idle_ttl: 30, scaledown_ttl: 30 },
              { coldStartSeconds: 45 },
            ),
          ],
          [
            inline([
              { arrival: 0, duration: 1, env: "api", id: "a" },
              { arrival: 44, duration: 1, env: "api", id: "b" },
            ]),
          ],
          { controlPeriodSeconds },
        ),
      );
      const teardownAt = controlPeriodSeconds === 0 ? 77 : 80;
      expect(summary.endSeconds).to.equal(teardownAt);
      // Replica 1 lives 0 to the teardown; replica 2 from 44 to the teardown, all of it starting.
      expect(summary.total.replicaSeconds.total).to.equal(teardownAt + (teardownAt - 44));
    }
  });
});

describe("simulate() on a load the pool cannot serve", () => {
  it("stops with an OVERLOADED user error naming the longest queue, once too many tasks are in flight", async () => {
    // One slot, tasks of 10 s arriving 10 a second: the queue grows by about 10 a second, so
    // 1000 tasks are in flight after about 100 s: one running and 999 waiting, and the one that
    // arrives next is one too many.
    const running = simulate(
      scenario(
        [env("api", { replicas: 1, idle_ttl: 600, scaledown_ttl: 600 })],
        [
          {
            kind: "synthetic",
            env: "api",
            arrivals: { process: "poisson", rate: 10 },
            duration: makeSampler({ dist: "constant", value: 10 }, "duration"),
            async: false,
          },
        ],
        { horizonSeconds: 3600 },
      ),
      { maxTasksInFlight: 1000 },
    );
    const error = await running.then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).to.be.instanceOf(UserError);
    expect((error as UserError).code).to.equal("OVERLOADED");
    expect((error as UserError).message).to.match(
      /^at [\d.]+ s, 1001 tasks are in flight, more than the 1000 a run holds: .*\(the longest queue: 999 tasks waiting in environment "api"\)/,
    );
  });
  it("simulate() lets the output catch up every 65536 events, even between two arrivals", async () => {
    // Two tasks a day apart, a 10 ms control period and an idle_ttl longer than the day: the
    // environment stays up, and about 8.64 million control steps pass between the two arrivals,
    // within one batch. A run that only waited between batches would wait twice; this one waits
    // at least once per 65536 steps, so Ctrl-C and the progress bar are heard all along.
    let waits = 0;
    let progressAt = 0;
    const summary = await simulate(
      scenario(
        [env("api", { replicas: 1, idle_ttl: 90_000, scaledown_ttl: 30 })],
        [
          inline([
            { arrival: 0, duration: 1, env: "api", id: "a" },
            { arrival: 86_400, duration: 1, env: "api", id: "b" },
          ]),
        ],
        { controlPeriodSeconds: 0.01 },
      ),
      {
        waitForOutput: async () => {
          waits++;
        },
        onProgress: (seconds) => (progressAt = Math.max(progressAt, seconds)),
      },
    );
    expect(summary.total.tasks.completed).to.equal(2);
    expect(waits).to.be.at.least(Math.floor(86_400 / 0.01 / 65_536));
    expect(progressAt).to.be.above(86_000);
  });
});

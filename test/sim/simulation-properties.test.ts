import fc from "fast-check";
import { caseArb } from "./properties/scenario-arbitrary.js";
import { checkCase } from "./properties/invariants.js";

// Invariants of any run of any valid scenario (MODEL.md §2, §3, §4 and §6), checked on random
// scenarios: 1-3 environments with random reuse policies (up to 20 replicas, up to 8 slots) or
// no reuse, every cold-start distribution, overheads, exact timers and control periods from
// fractions of a second to longer than the TTLs; inline tasks with coinciding arrivals, zero
// durations, timeouts and nested children; synthetic workloads of every arrival process, async or
// not, with timeouts and fanouts (waves, depth, tails, children in another environment); a trace
// with a parent column; and starving pools, with and without timeouts. The seed is fixed so
// `npm test` is deterministic; `npm run props:sweep` runs thousands of cases on a seed of its
// choosing. See properties/invariants.ts for each check.

/** Cases per `npm test`; the whole file stays well under 10 s. */
const RUNS = 400;

describe("simulate() on random scenarios", () => {
  it(`simulate(random scenario) keeps every invariant (${RUNS} cases, seed 20260101)`, async () => {
    await fc.assert(fc.asyncProperty(caseArb, checkCase), { numRuns: RUNS, seed: 20260101 });
  });
});

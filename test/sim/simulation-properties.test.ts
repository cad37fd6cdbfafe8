import fc from "fast-check";
import { caseArb } from "./properties/scenario-arbitrary.js";
import { checkCase } from "./properties/invariants.js";

// Invariants of any run of any valid scenario (MODEL.md §2, §4 and §6), checked on random
// scenarios: 1-3 environments with random reuse policies or no reuse, cold starts, overheads and
// control periods; inline tasks with coinciding arrivals and zero durations; small Poisson
// workloads. The seed is fixed so `npm test` is deterministic; `npm run props:sweep` runs
// thousands of cases on a seed of its choosing. See properties/invariants.ts for each check.

/** Cases per `npm test`; the whole file stays well under 20 s. */
const RUNS = 500;

describe("simulate() on random scenarios", () => {
  it(`simulate(random scenario) keeps every invariant (${RUNS} cases, seed 20260101)`, async () => {
    await fc.assert(fc.asyncProperty(caseArb, checkCase), { numRuns: RUNS, seed: 20260101 });
  });
});

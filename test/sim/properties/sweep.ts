import fc from "fast-check";
import { checkCase } from "./invariants.js";
import { caseArb } from "./scenario-arbitrary.js";

/**
 * `npm run props:sweep [-- --runs n] [-- --seed s]`: the invariants of
 * test/sim/simulation-properties.test.ts on many more random scenarios than `npm test` runs
 * (20000 by default, on a new seed each time unless one is given). A failure prints the shrunk
 * counterexample and the seed and path that replay it.
 */
function readNumber(flag: string, fallback: number): number {
  const index = process.argv.indexOf(flag);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`props:sweep: ${flag} expects a whole number, got ${process.argv[index + 1]}`);
  }
  return value;
}

const runs = readNumber("--runs", 20000);
const seed = readNumber("--seed", Date.now() % 2 ** 31);
const startedAt = Date.now();
process.stderr.write(`props:sweep: ${runs} random scenarios, seed ${seed}\n`);

const result = await fc.check(fc.asyncProperty(caseArb, checkCase), { numRuns: runs, seed });
const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
if (result.failed) {
  process.stderr.write(`${fc.defaultReportMessage(result)}\n`);
  process.stderr.write(`props:sweep: FAILED after ${result.numRuns} scenarios (${seconds} s)\n`);
  process.exitCode = 1;
} else {
  process.stderr.write(
    `props:sweep: all ${result.numRuns} scenarios keep every invariant (${seconds} s)\n`,
  );
}

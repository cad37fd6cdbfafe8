import { writeFileSync } from "node:fs";
import {
  exampleScenarios,
  expectedSummaryPath,
  runExample,
  summaryText,
} from "./scenario-catalogue.js";

/**
 * Rewrite the expected summary beside every example scenario. Run after a deliberate change of
 * the model, and review the diff: it is the change in every number the examples print.
 */
for (const file of exampleScenarios()) {
  const started = performance.now();
  writeFileSync(expectedSummaryPath(file), summaryText(await runExample(file)));
  process.stderr.write(`${file}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

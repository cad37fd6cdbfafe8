import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { scenarioSchemaText } from "./scenario-schema.js";

/*
 * `npm run schema`: write scenarios/scenario.schema.json from the TypeBox schema. Run from
 * dist/sim/, so the repository root is two folders up. A test fails when the two differ.
 */
const target = fileURLToPath(new URL("../../scenarios/scenario.schema.json", import.meta.url));
writeFileSync(target, scenarioSchemaText());

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { expect } from "chai";

import { ScenarioFileSchema, scenarioSchemaText } from "../../sim/scenario-schema.js";

const committedPath = fileURLToPath(
  new URL("../../../scenarios/scenario.schema.json", import.meta.url),
);

type SchemaNode = Record<string, unknown>;

/** Every subschema with the JSON pointer that leads to it. */
function* subschemas(node: unknown, pointer = "#"): Generator<[string, SchemaNode]> {
  if (typeof node !== "object" || node === null) return;
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) yield* subschemas(item, `${pointer}/${index}`);
    return;
  }
  const schema = node as SchemaNode;
  if (typeof schema.type === "string" || "anyOf" in schema) yield [pointer, schema];
  for (const [key, value] of Object.entries(schema)) {
    if (key !== "default" && key !== "enum") yield* subschemas(value, `${pointer}/${key}`);
  }
}

describe("sim/scenario-schema", () => {
  it("scenarioSchemaText() equals the committed scenarios/scenario.schema.json (run `npm run schema`)", () => {
    const committed = readFileSync(committedPath, "utf8");
    expect(committed).to.equal(JSON.stringify(ScenarioFileSchema, null, 2) + "\n");
    expect(scenarioSchemaText()).to.equal(committed);
  });

  it("ScenarioFileSchema closes every object with fixed keys, so unknown keys are rejected", () => {
    for (const [pointer, schema] of subschemas(ScenarioFileSchema)) {
      if (schema.type === "object" && "properties" in schema) {
        expect(schema.additionalProperties, pointer).to.equal(false);
      }
    }
  });

  it("ScenarioFileSchema describes every property, for editors", () => {
    for (const [pointer, schema] of subschemas(ScenarioFileSchema)) {
      const properties = (schema.properties ?? {}) as Record<string, SchemaNode>;
      for (const [key, property] of Object.entries(properties)) {
        expect(property.description, `${pointer}/properties/${key}`).to.be.a("string");
      }
    }
  });
});

import { expect } from "chai";
import { EnvironmentTemplates } from "../../sim/environment-templates.js";
import { globToRegExp } from "../../sim/glob.js";
import type { EnvironmentTemplate } from "../../sim/scenario.js";
import { RecordingLogger } from "../../sim/logger.js";
import { simulate } from "../../sim/simulation.js";
import { env, inline, run, scenario } from "../helpers.js";

function template(perReplicaHour: number): EnvironmentTemplate {
  const spec = env("x", { replicas: 1 }, { cost: { perReplicaHour } });
  return { ...spec, name: undefined } as EnvironmentTemplate;
}

describe("globToRegExp", () => {
  it("globToRegExp('*-http') matches any run of characters before -http, the empty run too", () => {
    const regExp = globToRegExp("*-http");
    expect(regExp.test("47658c9c-http")).to.equal(true);
    expect(regExp.test("-http")).to.equal(true);
    expect(regExp.test("47658c9c-http2")).to.equal(false);
  });

  it("globToRegExp('fn-??') matches exactly two characters and treats the rest literally", () => {
    expect(globToRegExp("fn-??").test("fn-ab")).to.equal(true);
    expect(globToRegExp("fn-??").test("fn-abc")).to.equal(false);
    expect(globToRegExp("a.b").test("axb")).to.equal(false);
    expect(globToRegExp("a+(b)").test("a+(b)")).to.equal(true);
  });
});

describe("EnvironmentTemplates", () => {
  it("templateFor(name) takes the first matching pattern in order, then the default", () => {
    const templates = new EnvironmentTemplates({
      environmentPatterns: [
        { glob: "*-http", template: template(1) },
        { glob: "ab*", template: template(2) },
      ],
      defaultEnvironment: template(3),
    });
    expect(templates.templateFor("ab-http")?.cost.perReplicaHour).to.equal(1);
    expect(templates.templateFor("abc")?.cost.perReplicaHour).to.equal(2);
    expect(templates.templateFor("zzz")?.cost.perReplicaHour).to.equal(3);
  });

  it("templateFor(name) is undefined with neither a matching pattern nor a default", () => {
    const templates = new EnvironmentTemplates({
      environmentPatterns: [{ glob: "a*", template: template(1) }],
    });
    expect(templates.templateFor("b")).to.equal(undefined);
    expect(new EnvironmentTemplates({}).isEmpty).to.equal(true);
  });
});

describe("simulate() with environments created on first sight", () => {
  it("creates undeclared environments from the default, in the order of their first task", async () => {
    const { summary } = await run(
      scenario(
        [env("declared", { replicas: 1 })],
        [
          inline([
            { arrival: 2, duration: 1, env: "b", id: "t1" },
            { arrival: 1, duration: 1, env: "a", id: "t2" },
            { arrival: 3, duration: 1, env: "b", id: "t3" },
          ]),
        ],
        { defaultEnvironment: template(5) },
      ),
    );
    expect(Object.keys(summary.environments)).to.deep.equal(["declared", "a", "b"]);
    expect(summary.environments.a.tasks.completed).to.equal(1);
    expect(summary.environments.b.tasks.completed).to.equal(2);
    expect(summary.environments.b.costPerReplicaHour).to.equal(5);
  });

  it("gives a pattern's settings to the names it matches and the default to the rest", async () => {
    const { summary } = await run(
      scenario(
        [],
        [
          inline([
            { arrival: 0, duration: 1, env: "f1-http", id: "t1" },
            { arrival: 0, duration: 1, env: "f2-queue", id: "t2" },
          ]),
        ],
        {
          environmentPatterns: [{ glob: "*-http", template: template(7) }],
          defaultEnvironment: template(5),
        },
      ),
    );
    expect(summary.environments["f1-http"].costPerReplicaHour).to.equal(7);
    expect(summary.environments["f2-queue"].costPerReplicaHour).to.equal(5);
  });

  it("rejects a task whose environment is neither declared nor covered by a template", async () => {
    const s = scenario(
      [env("api", { replicas: 1 })],
      [inline([{ arrival: 0, duration: 1, env: "web", id: "t1" }])],
      { environmentPatterns: [{ glob: "a*", template: template(1) }] },
    );
    let message = "";
    await run(s).catch((error: Error) => (message = error.message));
    expect(message).to.match(/"web", which the scenario does not define \(defined: api\)/);
  });

  it("simulate() warns once when cost.perGbHour is set but no trace gives an environment's memory", async () => {
    const logger = new RecordingLogger();
    const priced = { ...template(5), cost: { perReplicaHour: 5, perGbHour: 1 } };
    const summary = await simulate(
      scenario([], [inline([{ arrival: 0, duration: 1, env: "a", id: "t1" }])], {
        defaultEnvironment: priced,
      }),
      { logger },
    );
    expect(summary.environments.a.costPerReplicaHour).to.equal(5);
    expect(logger.warnings).to.deep.equal([
      'cost.perGbHour is set, but no trace gives the memory of environment "a"; only perReplicaHour is charged there',
    ]);
  });
});

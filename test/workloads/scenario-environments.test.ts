import { expect } from "chai";
import type { EnvironmentTemplate } from "../../sim/scenario.js";
import { environmentCheck, keptOnly } from "../../workloads/scenario-environments.js";
import { env } from "../helpers.js";

const TEMPLATE = { ...env("x", "none"), name: undefined } as unknown as EnvironmentTemplate;
const COLUMN = { index: 3, name: "env" };

describe("environmentCheck", () => {
  it("environmentCheck(scenario) knows the declared names and the names a pattern matches", () => {
    const check = environmentCheck({
      environments: [env("api", "none"), env("web", "none")],
      environmentPatterns: [{ glob: "*-http", template: TEMPLATE }],
    });
    expect(check?.has("api")).to.equal(true);
    expect(check?.has("f1-http")).to.equal(true);
    expect(check?.has("f1-http")).to.equal(true);
    expect(check?.has("apii")).to.equal(false);
    expect(check?.has("f1-htp")).to.equal(false);
  });

  it("environmentCheck(scenario) is undefined with a default entry, which creates any name", () => {
    const check = environmentCheck({
      environments: [env("api", "none")],
      defaultEnvironment: TEMPLATE,
    });
    expect(check).to.equal(undefined);
  });

  it("refusal(value, column) quotes the value, suggests the closest name and lists the rest", () => {
    const check = environmentCheck({
      environments: [env("api", "none"), env("web", "none")],
      environmentPatterns: [{ glob: "*-http", template: TEMPLATE }],
    });
    expect(check?.refusal("apii", COLUMN)).to.equal(
      '"apii" in column 3 (env) is not an environment of the scenario; did you mean "api"? ' +
        'expected one it defines (api, web) or a name matching "*-http", or an ' +
        "environments.default entry to create the others from",
    );
    expect(check?.refusal("billing", COLUMN)).to.match(
      /of the scenario; expected one it defines \(api, web\)/,
    );
  });

  it("refusal(value, column) lists ten names, then ...", () => {
    const names = Array.from({ length: 12 }, (_, n) => env(`env${n}`, "none"));
    const check = environmentCheck({ environments: names });
    expect(check?.refusal("zzz", COLUMN)).to.contain("(env0, env1, env2");
    expect(check?.refusal("zzz", COLUMN)).to.contain("env9, ...)");
  });

  it("keptOnly(check, kept) lets through the names outside the kept set, and checks the rest", () => {
    const check = environmentCheck({ environments: [env("api", "none")] });
    const kept = new Set(["api", "apii"]);
    const topOnly = keptOnly(check!, () => kept);
    expect(topOnly.has("api")).to.equal(true);
    expect(topOnly.has("apii")).to.equal(false);
    expect(topOnly.has("other")).to.equal(true);
  });
});

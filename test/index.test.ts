import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { ReusePolicy, loadScenario, simulate } from "../index.js";
import { REPO_ROOT } from "./workloads/trace-helpers.js";

describe("the package's API", () => {
  it("loadScenario() then simulate() returns the summary that `run` prints, as plain data", async () => {
    const scenario = await loadScenario("scenarios/steady-api.yaml");
    const summary = await simulate(scenario);
    expect(summary.scenario).to.equal("steady-api");
    expect(JSON.parse(JSON.stringify(summary))).to.deep.equal(summary);
    expect(new ReusePolicy({ replicas: [1, 3] }).maxReplicas()).to.equal(3);
  });

  it("the published types (dist/index.d.ts) compile in a strict project that checks libraries too", function () {
    // A user's project need not set skipLibCheck: no declaration of ours may pull in one that
    // does not compile on its own.
    this.timeout(60_000);
    const folder = mkdtempSync(join(tmpdir(), "reuse-sim-types-"));
    try {
      const entry = join(REPO_ROOT, "dist", "index.js");
      writeFileSync(
        join(folder, "use.ts"),
        `import { loadScenario, simulate, type Summary } from ${JSON.stringify(entry)};\n` +
          `const summary: Summary = await simulate(await loadScenario("s.yaml"));\n` +
          "export const p99: number = summary.total.wait.p99;\n",
      );
      writeFileSync(join(folder, "package.json"), '{"type": "module"}\n');
      const options = {
        module: "nodenext",
        target: "es2022",
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ["node"],
        typeRoots: [join(REPO_ROOT, "node_modules", "@types")],
      };
      writeFileSync(
        join(folder, "tsconfig.json"),
        JSON.stringify({ compilerOptions: options, files: ["use.ts"] }),
      );
      const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
      const result = spawnSync(process.execPath, [tsc, "-p", folder], { encoding: "utf8" });
      expect(result.stdout + result.stderr).to.equal("");
      expect(result.status).to.equal(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

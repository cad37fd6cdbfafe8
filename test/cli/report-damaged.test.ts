import { expect } from "chai";
import { cp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

import { main } from "../../cli/main.js";
import { poolAndBaseline, removeSavedRuns, saveRun } from "../reports/fixture.js";
import { Capture } from "./capture.js";

// `reuse-sim report DIR` checks every file of DIR against what `reuse-sim run --out` writes
// before drawing anything: a damaged folder is exit code 2 and one line that names the file and
// the field, line or column, never a crash in a chart.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Change a JSON file of the folder in place. */
function editJson(name: string, edit: (json: Json) => void): (dir: string) => Promise<void> {
  return async (dir) => {
    const json = JSON.parse(await readFile(join(dir, name), "utf8")) as Json;
    edit(json);
    await writeFile(join(dir, name), JSON.stringify(json, null, 2));
  };
}

/** Change the lines of a file of the folder in place (the header is line 1, at index 0). */
function editLines(
  name: string,
  edit: (lines: string[]) => string[],
): (dir: string) => Promise<void> {
  return async (dir) => {
    const lines = (await readFile(join(dir, name), "utf8")).trimEnd().split("\n");
    await writeFile(join(dir, name), `${edit(lines).join("\n")}\n`);
  };
}

/** Set the cells of `column` on data line `index` (1: the first row after the header). */
function setCell(name: string, index: number, column: string, value: string) {
  return editLines(name, (lines) => {
    const at = lines[0].split(",").indexOf(column);
    const cells = lines[index].split(",");
    cells[at] = value;
    return lines.map((line, i) => (i === index ? cells.join(",") : line));
  });
}

/** [what is damaged, how, the file named in the message, what the message says of it]. */
const DAMAGES: [string, (dir: string) => Promise<void>, string, string][] = [
  [
    "a missing cost key",
    editJson("summary.json", (json) => delete json.environments.api.cost.total),
    "summary.json",
    "environments.api.cost.total is missing; expected the folder of a run saved by reuse-sim run --out",
  ],
  [
    "a missing measure of the total",
    editJson("summary.json", (json) => delete json.total.cost),
    "summary.json",
    "total.cost is missing",
  ],
  [
    "a cost of -1e300",
    editJson("summary.json", (json) => (json.total.cost.total = -1e300)),
    "summary.json",
    "total.cost.total is -1e+300; expected a number from 0 to 1e15, as reuse-sim run --out writes it",
  ],
  [
    "an end at 1e400 (Infinity)",
    async (dir) => {
      const text = await readFile(join(dir, "summary.json"), "utf8");
      await writeFile(
        join(dir, "summary.json"),
        text.replace(/"endSeconds": [\d.]+/, '"endSeconds": 1e400'),
      );
    },
    "summary.json",
    "endSeconds is Infinity; expected a number from 0 to 1e15",
  ],
  [
    "a count of 2.5 tasks",
    editJson("summary.json", (json) => (json.environments.baseline.tasks.arrived = 2.5)),
    "summary.json",
    "environments.baseline.tasks.arrived is 2.5; expected a whole number >= 0",
  ],
  [
    "a utilisation above 1",
    editJson("summary.json", (json) => (json.environments.api.utilisation = 1.5)),
    "summary.json",
    "environments.api.utilisation is 1.5; expected a number from 0 to 1,",
  ],
  [
    "a wait given as text",
    editJson("summary.json", (json) => (json.total.wait.p99 = "12s")),
    "summary.json",
    'total.wait.p99 is "12s"; expected a number from 0 to 1e15',
  ],
  [
    "text that is not JSON",
    async (dir) => writeFile(join(dir, "summary.json"), '{"scenario": '),
    "summary.json",
    "not valid JSON (",
  ],
  [
    "a list for the whole summary",
    async (dir) => writeFile(join(dir, "summary.json"), "[]"),
    "summary.json",
    "its content is []; expected an object",
  ],
  [
    "an extra environment in the summary",
    editJson("summary.json", (json) => (json.environments.extra = json.environments.api)),
    "summary.json",
    'has environment "extra", which scenario.json has not',
  ],
  [
    "a missing environment in scenario.json",
    editJson("scenario.json", (json) => json.environments.pop()),
    "scenario.json",
    'summary.json has environment "baseline", which scenario.json has not',
  ],
  [
    "a missing timeline step",
    editJson("scenario.json", (json) => delete json.timelineStepSeconds),
    "scenario.json",
    "timelineStepSeconds is missing",
  ],
  [
    "a timeline step of 0",
    editJson("scenario.json", (json) => (json.timelineStepSeconds = 0)),
    "scenario.json",
    "timelineStepSeconds is 0; expected a number above 0 and at most 1e15",
  ],
  [
    "no environments",
    editJson("scenario.json", (json) => (json.environments = [])),
    "scenario.json",
    "environments is []; expected a list of at least 1",
  ],
  [
    "an environment without a name",
    editJson("scenario.json", (json) => delete json.environments[0].name),
    "scenario.json",
    "environments[0].name is missing",
  ],
  [
    "an unknown policy",
    editJson("scenario.json", (json) => (json.environments[1].policy = "never")),
    "scenario.json",
    'environments[1].policy is "never"; expected "none" or an object',
  ],
  [
    "replicas without a max",
    editJson("scenario.json", (json) => (json.environments[0].policy.replicas = [1])),
    "scenario.json",
    "environments[0].policy.replicas is [1]; expected a list of 2",
  ],
  [
    "a workload of an unknown kind",
    editJson("scenario.json", (json) => (json.workloads[0].kind = "synth")),
    "scenario.json",
    'workloads[0].kind is "synth"; expected "synthetic", "trace" or "inline"',
  ],
  [
    "a negative arrival rate",
    editJson("scenario.json", (json) => (json.workloads[1].arrivals.rate = -1)),
    "scenario.json",
    "workloads[1].arrivals.rate is -1; expected a number from 0 to 1e6",
  ],
  [
    "a diurnal process without its shape",
    editJson("scenario.json", (json) => (json.workloads[0].arrivals.process = "diurnal")),
    "scenario.json",
    "workloads[0].arrivals.shape is missing",
  ],
  [
    "no timeline.csv",
    async (dir) => rm(join(dir, "timeline.csv")),
    "timeline.csv",
    "timeline.csv: no such file; expected the folder of a run saved by reuse-sim run --out",
  ],
  [
    "an empty timeline.csv",
    async (dir) => writeFile(join(dir, "timeline.csv"), ""),
    "timeline.csv",
    "timeline.csv: empty file; expected a header line",
  ],
  [
    "a timeline.csv cut short in a row",
    async (dir) => {
      const text = await readFile(join(dir, "timeline.csv"), "utf8");
      await writeFile(
        join(dir, "timeline.csv"),
        text.slice(0, text.lastIndexOf(",", text.length - 20)),
      );
    },
    "timeline.csv",
    "the header 11; expected every row whole, as reuse-sim run --out writes it (was the file cut short?)",
  ],
  [
    "a negative count of starting replicas",
    setCell("timeline.csv", 1, "starting", "-1"),
    "timeline.csv",
    'timeline.csv:2:3: "-1" is out of range; expected a number from 0 to 1e15 (starting)',
  ],
  [
    "NaN in the timeline",
    setCell("timeline.csv", 2, "busy", "NaN"),
    "timeline.csv",
    'timeline.csv:3:5: "NaN" is not a number; expected a number (busy)',
  ],
  [
    "1e400 in the timeline",
    setCell("timeline.csv", 2, "waiting", "1e400"),
    "timeline.csv",
    'timeline.csv:3:7: "1e400" is not a number',
  ],
  [
    "a peak of 2.5 replicas",
    setCell("timeline.csv", 1, "peakReplicas", "2.5"),
    "timeline.csv",
    'timeline.csv:2:8: "2.5" is out of range; expected a whole number >= 0 (peakReplicas)',
  ],
  [
    "a timeline row after the end of the run",
    setCell("timeline.csv", 1, "time", "1e9"),
    "timeline.csv",
    "timeline.csv:2:1: time 1000000000 is after the end of the run",
  ],
  [
    "timeline rows out of order",
    editLines("timeline.csv", ([header, first, second, third, ...rest]) => [
      header,
      third,
      second,
      first,
      ...rest,
    ]),
    "timeline.csv",
    "expected rows in time order",
  ],
  [
    "an environment in the timeline that scenario.json lacks",
    setCell("timeline.csv", 1, "env", "ghost"),
    "timeline.csv",
    'timeline.csv:2: environment "ghost" is not in scenario.json; expected one of api, baseline',
  ],
  [
    "a negative wait in tasks.csv",
    setCell("tasks.csv", 1, "wait", "-3"),
    "tasks.csv",
    'tasks.csv:2:6: "-3" is out of range; expected a number from 0 to 1e15 (wait)',
  ],
  [
    "an unknown start kind in tasks.csv",
    setCell("tasks.csv", 1, "kind", "lukewarm"),
    "tasks.csv",
    'tasks.csv:2: kind "lukewarm" is not known',
  ],
  [
    "a tasks.csv cut short in its first row",
    editLines("tasks.csv", ([header, first]) => [header, first.slice(0, first.indexOf(",", 5))]),
    "tasks.csv",
    "tasks.csv:2: the row has 2 fields, the header 10",
  ],
];

describe("cli/report on a damaged folder", function () {
  this.timeout(20_000);
  let saved: string;

  before(async () => {
    saved = (await saveRun(poolAndBaseline, { report: false })).dir;
  });

  after(removeSavedRuns);

  for (const [what, damage, file, words] of DAMAGES) {
    it(`reuse-sim report DIR with ${what} exits 2 with one line naming ${file}`, async () => {
      const dir = `${saved}-${DAMAGES.findIndex(([other]) => other === what)}`;
      await cp(saved, dir, { recursive: true });
      await damage(dir);
      const stdout = new Capture();
      const stderr = new Capture();

      const code = await main(["node", "reuse-sim", "report", dir], { stdout, stderr });

      expect(code, stderr.text).to.equal(2);
      expect(stderr.text).to.match(/^reuse-sim: error: [^\n]*\n$/);
      expect(stderr.text).to.include(dir);
      expect(stderr.text).to.include(file);
      expect(stderr.text, stderr.text).to.include(words);
      expect(stdout.text).to.equal("");
    });
  }
});

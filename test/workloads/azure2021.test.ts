import { readFileSync } from "node:fs";
import { expect } from "chai";
import { parse } from "csv-parse/sync";
import { replay, replayError, rows, sharedData, writeTrace } from "./trace-helpers.js";

// The Azure Functions 2021 format: one row per invocation, app,func,end_timestamp,duration.

const APP_A = "aaaa1111" + "0".repeat(56);
const APP_B = "bbbb2222" + "0".repeat(56);
const FN_1 = "f1f1f1f1" + "1".repeat(56);
const FN_2 = "f2f2f2f2" + "2".repeat(56);
const FN_3 = "f1f1f1f1" + "3".repeat(56); // shares its first 8 digits with FN_1

// Rows in order of end, as the trace has them; by start the order is row 3, 1, 4, 2.
const HAND_MADE = [
  "app,func,end_timestamp,duration",
  `${APP_A},${FN_1},10.5,0.5`, // start 10
  `${APP_B},${FN_2},12.25,0.25`, // start 12
  `${APP_A},${FN_1},13,4`, // start 9
  `${APP_A},${FN_3},13.5,2.5`, // start 11
].join("\n");

describe("azure2021 trace", () => {
  it("Azure2021Source sorts by start = end - duration and keeps the durations", async () => {
    const path = writeTrace("2021.csv", HAND_MADE);
    const { tasks } = await replay({ path, format: "azure2021" });
    expect(rows(tasks)).to.deep.equal([
      [9, 4, "f1f1f1f1", "w0-1"],
      [10, 0.5, "f1f1f1f1", "w0-2"],
      [11, 2.5, "f1f1f1f1-2", "w0-3"],
      [12, 0.25, "f2f2f2f2", "w0-4"],
    ]);
  });

  it('Azure2021Source maps by app, by "all", and by a user\'s alias', async () => {
    const path = writeTrace("2021-map.csv", HAND_MADE);
    const byApp = await replay({ path, format: "azure2021", mapping: { by: "app" } });
    expect(byApp.tasks.map((task) => task.env)).to.deep.equal([
      "app-aaaa1111",
      "app-aaaa1111",
      "app-aaaa1111",
      "app-bbbb2222",
    ]);
    const all = await replay({ path, format: "azure2021", mapping: { by: "all" } });
    expect(new Set(all.tasks.map((task) => task.env))).to.deep.equal(new Set(["all"]));
    const aliased = await replay({
      path,
      format: "azure2021",
      mapping: { by: "function", aliases: { f2f2: "checkout", [FN_3]: "resize" } },
    });
    expect(aliased.tasks.map((task) => task.env)).to.deep.equal([
      "f1f1f1f1",
      "f1f1f1f1",
      "resize",
      "checkout",
    ]);
  });

  it("Azure2021Source with top 1 keeps the function with most invocations", async () => {
    const path = writeTrace("2021-top.csv", HAND_MADE);
    const { tasks } = await replay({ path, format: "azure2021", top: 1 });
    expect(rows(tasks).map((row) => row[0])).to.deep.equal([9, 10]);
  });

  it("Azure2021Source with a window replays [from, to) of the trace's clock from 0", async () => {
    const path = writeTrace("2021-window.csv", HAND_MADE);
    const { tasks } = await replay({ path, format: "azure2021", fromSeconds: 10, toSeconds: 12 });
    expect(rows(tasks).map((row) => row[0])).to.deep.equal([0, 1]);
  });

  it("Azure2021Source reports more rows than sortLimit as one line with the way out", async () => {
    const path = writeTrace("2021-limit.csv", HAND_MADE);
    const { message } = await replayError({ path, format: "azure2021", sortLimit: 3 });
    expect(message).to.equal(
      `${path}:5: more than 3 rows to sort by start time in memory; raise sortLimit (about 32 bytes a row at the peak) or replay a time window (from, to) of the trace`,
    );
  });

  it("Azure2021Source rejects a missing column and a negative duration, naming both", async () => {
    const missing = writeTrace("2021-missing.csv", "app,func,end_timestamp\na,b,1\n");
    expect((await replayError({ path: missing, format: "azure2021" })).message).to.equal(
      `${missing}:1: missing column "duration"; the header must name app, func, end_timestamp, duration`,
    );
    const negative = writeTrace(
      "2021-negative.csv",
      "app,func,end_timestamp,duration\na,b,1,-0.5\n",
    );
    expect((await replayError({ path: negative, format: "azure2021" })).message).to.equal(
      `${negative}:2:4: "-0.5" in column 4 (duration) is not valid; expected a number of seconds >= 0`,
    );
  });

  it("Azure2021Source rejects an empty app or func, naming the cell", async () => {
    const noApp = writeTrace("2021-no-app.csv", "app,func,end_timestamp,duration\n,f,1,1\n");
    expect((await replayError({ path: noApp, format: "azure2021" })).message).to.equal(
      `${noApp}:2:1: "" in column 1 (app) is not valid; expected the app's hash (not empty)`,
    );
    const noFunc = writeTrace("2021-no-func.csv", "app,func,end_timestamp,duration\na,,1,1\n");
    expect((await replayError({ path: noFunc, format: "azure2021" })).message).to.equal(
      `${noFunc}:2:2: "" in column 2 (func) is not valid; expected the function's hash (not empty)`,
    );
  });

  it("Azure2021Source rejects a hash that makes a reserved environment name, at its cell", async () => {
    const path = writeTrace(
      "2021-reserved.csv",
      "app,func,end_timestamp,duration\na,valueOf,1,1\n",
    );
    expect((await replayError({ path, format: "azure2021" })).message).to.equal(
      `${path}:2:2: "valueOf" in column 2 (func) cannot name an environment: it is reserved ` +
        "(a built-in property of every object); expected another name",
    );
  });

  it("Azure2021Source rejects an end or a duration above 1e9 seconds, naming the cell", async () => {
    const end = writeTrace("2021-far-end.csv", "app,func,end_timestamp,duration\na,b,1e300,1\n");
    expect((await replayError({ path: end, format: "azure2021" })).message).to.equal(
      `${end}:2:3: "1e300" in column 3 (end_timestamp) is too large; expected a number of seconds from 0 to 1000000000 (about 31 years)`,
    );
    const long = writeTrace("2021-long.csv", "app,func,end_timestamp,duration\na,b,5,1e12\n");
    expect((await replayError({ path: long, format: "azure2021" })).message).to.equal(
      `${long}:2:4: "1e12" in column 4 (duration) is too large; expected a number of seconds from 0 to 1000000000 (about 31 years)`,
    );
  });

  it("Azure2021Source sorts 100,000 rows by start, stably, past the columns' first chunk", async () => {
    // Starts fall back and forth (end in order, durations of 0 to 1,000 s), with many ties.
    const lines = ["app,func,end_timestamp,duration"];
    const expected: [number, number][] = [];
    for (let row = 0; row < 100_000; row++) {
      const [end, duration] = [1000 + row / 10, (row * 7919) % 1000];
      lines.push(`a${row % 3},f${row % 5},${end},${duration}`);
      expected.push([Math.round(end * 1e6) - duration * 1e6, row]);
    }
    expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const path = writeTrace("2021-large.csv", lines.join("\n"));
    const { tasks } = await replay({ path, format: "azure2021" });
    // Every start is after the trace's 0, so times stay on its clock.
    expect(tasks.map((task) => task.arrivalAt)).to.deep.equal(expected.map(([at]) => at));
    // The durations follow their rows: row r lasts (r * 7919) % 1000 seconds.
    expect(tasks.map((task) => task.workMicros)).to.deep.equal(
      expected.map(([, row]) => ((row * 7919) % 1000) * 1e6),
    );
  });

  it("openTrace({load: 0.5}) on the shared excerpt thins the same for a seed, otherwise for another", async () => {
    const spec = {
      path: sharedData("azure2021", "invocations-200.csv"),
      format: "azure2021" as const,
    };
    const keptOf = async (seed: number) =>
      (await replay({ ...spec, load: 0.5 }, seed)).tasks.map((task) => task.id);
    const [first, again, other] = [await keptOf(1), await keptOf(1), await keptOf(2)];
    expect(again).to.deep.equal(first);
    // Two independent halves of the 199 rows agree with probability 2^-199.
    expect(other).not.to.deep.equal(first);
    // Binomial(199, 0.5) kept, within 4 standard deviations (sqrt(199) / 2 = 7.05) of 99.5.
    for (const kept of [first, other]) expect(kept.length).to.be.within(99.5 - 28.2, 99.5 + 28.2);
  });

  it("Azure2021Source reproduces every start and duration of the shared excerpt", async () => {
    const path = sharedData("azure2021", "invocations-200.csv");
    const records: Record<string, string>[] = parse(readFileSync(path), { columns: true });
    const expected = records
      .map((record) => {
        const workMicros = Math.round(Number(record.duration) * 1e6);
        return [Math.round(Number(record.end_timestamp) * 1e6) - workMicros, workMicros];
      })
      .sort((a, b) => a[0] - b[0]);

    const { tasks } = await replay({ path, format: "azure2021" });
    expect(tasks).to.have.length(records.length);
    expect(tasks.map((task) => [task.arrivalAt, task.workMicros])).to.deep.equal(expected);
    expect(new Set(tasks.map((task) => task.env)).size).to.equal(
      new Set(records.map((record) => `${record.app}/${record.func}`)).size,
    );
  });
});

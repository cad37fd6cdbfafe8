import { expect } from "chai";
import type { EnvironmentTemplate } from "../../sim/scenario.js";
import type { Fanout } from "../../sim/task.js";
import { fixedFanout } from "../../workloads/fanout.js";
import { RecordingLogger } from "../../sim/logger.js";
import { BadRows } from "../../workloads/bad-rows.js";
import { TasksCsvSource } from "../../workloads/tasks-csv.js";
import { environmentCheck } from "../../workloads/scenario-environments.js";
import { env } from "../helpers.js";
import { replay, replayError, rows, writeTrace } from "./trace-helpers.js";

// The `tasks` format (CSV and JSON Lines) on small hand-made files whose tasks are known.

const CSV = "arrival,duration,env,id\n0,1.5,api,a\n0.25,2,web,b\n7,0.000001,api,c\n";
const EXPECTED = [
  [0, 1.5, "api", "a"],
  [0.25, 2, "web", "b"],
  [7, 0.000001, "api", "c"],
];

describe("tasks trace (CSV)", () => {
  it("TasksCsvSource reads arrival, duration, env and id as given", async () => {
    const { tasks } = await replay({ path: writeTrace("basic.csv", CSV), format: "tasks" });
    expect(rows(tasks)).to.deep.equal(EXPECTED);
  });

  it("TasksCsvSource takes columns in any order, and env and ids from the workload", async () => {
    const path = writeTrace("order.csv", "duration,arrival\n1,0\n2,3\n");
    const { tasks } = await replay({ path, format: "tasks", env: "api" });
    expect(rows(tasks)).to.deep.equal([
      [0, 1, "api", "w0-1"],
      [3, 2, "api", "w0-2"],
    ]);
  });

  it("TasksCsvSource reads a BOM, CRLF line ends, quoted fields and blank lines", async () => {
    const text =
      '\uFEFFarrival,duration,env,id\r\n"0",1.5,"api","a"\r\n\r\n0.25,"2",web,b\r\n7,1e-6,api,"c"\r\n';
    const { tasks } = await replay({ path: writeTrace("bom.csv", text), format: "tasks" });
    expect(rows(tasks)).to.deep.equal(EXPECTED);
  });

  it("TasksCsvSource reads ISO-8601 arrivals relative to the first row, zones honoured", async () => {
    const text = [
      "arrival,duration,env",
      "2021-02-01T10:00:00Z,1,api",
      "2021-02-01T10:00:00.250000Z,1,api",
      "2021-02-01T11:00:01+01:00,1,api",
      "2021-02-01 10:00:02.5,1,api",
    ].join("\n");
    const { tasks } = await replay({ path: writeTrace("iso.csv", text), format: "tasks" });
    expect(tasks.map((task) => task.arrivalAt)).to.deep.equal([0, 250_000, 1_000_000, 2_500_000]);
  });
});

describe("tasks trace (JSON Lines)", () => {
  it("TasksJsonlSource reads the same tasks from one object a line, numbers or strings", async () => {
    const text = [
      '{"arrival": 0, "duration": 1.5, "env": "api", "id": "a"}',
      "",
      '{"arrival": "0.25", "duration": 2, "env": "web", "id": "b", "extra": true}',
      '{"id": "c", "env": "api", "duration": 1e-6, "arrival": 7}',
    ].join("\r\n");
    const { tasks } = await replay({ path: writeTrace("basic.jsonl", text), format: "tasks" });
    expect(rows(tasks)).to.deep.equal(EXPECTED);
  });

  it("TasksJsonlSource rejects a line that is not a JSON object, naming line and column", async () => {
    const path = writeTrace("bad.jsonl", '{"arrival": 0, "duration": 1, "env": "a"}\n  [1, 2]\n');
    const { message } = await replayError({ path, format: "tasks" });
    expect(message).to.equal(
      `${path}:2:3: [1, 2] is not a JSON object; expected one object a line`,
    );
  });

  it("TasksJsonlSource names a bad value by its key, at the character column of the value", async () => {
    const line = '{"arrival": 0,  "env": "a", "duration": "abc"}';
    const path = writeTrace("bad-value.jsonl", line);
    const { message } = await replayError({ path, format: "tasks" });
    const column = line.indexOf('"abc"') + 1;
    expect(message).to.equal(
      `${path}:1:${column}: "abc" in key "duration" is not valid; expected a number of seconds >= 0`,
    );
  });

  it("TasksJsonlSource finds the value's column past nested values, escapes and a repeated key", async () => {
    const line =
      '{"x": {"a": [1, "}"]}, "k\\"ey": "\\"", "duration": 1, "arrival": 5, "arrival": -2}';
    const path = writeTrace("nested.jsonl", `${line}\n`);
    const { message } = await replayError({ path, format: "tasks", env: "a" });
    // JSON.parse keeps the last of a repeated key, and so does the column.
    const column = line.lastIndexOf("-2") + 1;
    expect(message).to.match(new RegExp(`:1:${column}: "-2" in key "arrival" is not valid`));
  });

  it("TasksJsonlSource names a missing key without a column (there is no place to point at)", async () => {
    const path = writeTrace("missing-key.jsonl", '{"arrival": 0, "env": "a"}\n');
    const { message } = await replayError({ path, format: "tasks" });
    expect(message).to.match(new RegExp(`^${path}:1: .* has no "duration"; expected`));
  });

  for (const [key, value, expected] of [
    ["env", '{"x": 1}', "expected an environment name (a JSON string)"],
    ["env", "[1, 2]", "expected an environment name (a JSON string)"],
    ["env", "true", "expected an environment name (a JSON string)"],
    ["id", '{"n": 7}', "expected a task id (a JSON string or number)"],
    ["parent", '["p"]', "expected the parent's id (a JSON string or number, or null for none)"],
  ]) {
    it(`TasksJsonlSource rejects ${value} as ${key}, naming the key and the value's column`, async () => {
      const line = `{"arrival": 0, "duration": 1, "${key}": ${value}}`;
      const name = `name-${key}-${value.replace(/\W+/g, "")}.jsonl`;
      const path = writeTrace(name, `${line}\n`);
      const { message } = await replayError({ path, format: "tasks", env: "api" });
      const column = line.indexOf(value) + 1;
      const written = JSON.stringify(JSON.parse(value));
      expect(message).to.equal(
        `${path}:1:${column}: ${JSON.stringify(written)} in key "${key}" is not valid; ${expected}`,
      );
    });
  }

  it("TasksJsonlSource reads a number as an id or a parent, as written", async () => {
    const text = [
      '{"arrival": 0, "duration": 1, "env": "api", "id": 17, "parent": null}',
      '{"duration": 1, "env": "api", "id": 18, "parent": 17}',
    ].join("\n");
    const { tasks } = await replay({
      path: writeTrace("numeric-ids.jsonl", text),
      format: "tasks",
    });
    expect(tasks.map((task) => task.id)).to.deep.equal(["17"]);
    const children = fixedFanout(tasks[0].fanout as Fanout).childrenOf(0);
    expect(children.map((child) => child.id)).to.deep.equal(["18"]);
  });

  it("TasksJsonlSource quotes a number too large for a double as written, not as Infinity", async () => {
    const text = '{"arrival": 0, "duration": 1}\n{"arrival": 1, "duration": 1e400}\n';
    const path = writeTrace("infinite.jsonl", text);
    const { message } = await replayError({ path, format: "tasks", env: "api" });
    expect(message).to.contain(`${path}:2:28: "1e400" in key "duration" is too large`);

    const arrival = writeTrace("infinite-arrival.jsonl", '{"arrival": -1E+400, "duration": 1}\n');
    const { message: arrivalMessage } = await replayError({
      path: arrival,
      format: "tasks",
      env: "a",
    });
    expect(arrivalMessage).to.contain(`${arrival}:1:13: "-1E+400" in key "arrival" is not valid`);
  });

  it("TasksJsonlSource rejects an empty file", async () => {
    const path = writeTrace("empty.jsonl", "\n\n");
    expect((await replayError({ path, format: "tasks" })).message).to.match(/:1: empty file/);
  });
});

describe("tasks trace: malformed files", () => {
  const cases: [string, string, string][] = [
    [
      "a missing column",
      "arrival,env\n0,api\n",
      ':1: missing column "duration"; the header must name arrival, duration',
    ],
    ["an unknown column", "arrival,duration,envv\n0,1,a\n", ':1:3: unknown column "envv"'],
    [
      "a non-numeric value",
      "arrival,duration,env\n0,1,a\n1,abc,a\n",
      ':3:2: "abc" in column 2 (duration) is not valid; expected a number of seconds >= 0',
    ],
    [
      "a negative value",
      "arrival,duration,env\n-1,1,a\n",
      ':2:1: "-1" in column 1 (arrival) is not valid; expected seconds >= 0 or an ISO-8601 timestamp',
    ],
    ["NaN", "arrival,duration,env\n0,NaN,a\n", ':2:2: "NaN" in column 2 (duration) is not valid'],
    [
      "an empty value",
      "arrival,duration,env\n0,,a\n",
      ':2:2: "" in column 2 (duration) is not valid',
    ],
    ["an empty file", "", ":1: empty file; expected a header line"],
    ["a BOM and nothing else", "\uFEFF", ":1: empty file"],
    [
      "a row with too many fields",
      "arrival,duration,env\n0,1,a,extra\n",
      ':2:4: the row has 4 fields, the header 3 ("arrival","duration","env"); the first extra field is "extra"',
    ],
    [
      "a row with too few fields",
      "arrival,duration,env\n0,1\n",
      ":2:3: the row has 2 fields, the header 3",
    ],
    [
      "out-of-order rows",
      "arrival,duration,env\n5,1,a\n4,1,a\n",
      ':3:1: "4" in column 1 (arrival) arrives before the row above ("5"); expected rows in non-decreasing arrival order',
    ],
    [
      "an unclosed quote",
      'arrival,duration,env\n0,"1,a\n',
      ':2:2: CSV syntax error: the quote (") that opens this field is never closed',
    ],
    [
      "seconds after a timestamp",
      "arrival,duration,env\n2021-02-01T00:00:00Z,1,a\n3,1,a\n",
      ':3:1: "3" in column 1 (arrival): the first row gave an ISO-8601 timestamp; expected the same in every row',
    ],
    [
      "an impossible date",
      "arrival,duration,env\n2021-02-01T00:00:00Z,1,a\n2021-02-30T00:00:00Z,1,a\n",
      ':3:1: "2021-02-30T00:00:00Z" in column 1 (arrival) is not valid; expected seconds >= 0 or an ISO-8601 timestamp',
    ],
    [
      "an arrival of 1e300 seconds",
      "arrival,duration,env\n0,1,a\n1e300,1,a\n",
      ':3:1: "1e300" in column 1 (arrival) is too large; expected seconds from the start of the trace, at most 1000000000 (about 31 years), or an ISO-8601 timestamp',
    ],
    [
      "an arrival in epoch milliseconds",
      "arrival,duration,env\n1612137600000,1,a\n",
      ':2:1: "1612137600000" in column 1 (arrival) is too large; expected seconds from the start of the trace',
    ],
    [
      "a timestamp more than 31 years after the first row",
      "arrival,duration,env\n2021-02-01T00:00:00Z,1,a\n2060-01-01T00:00:00Z,1,a\n",
      ':3:1: "2060-01-01T00:00:00Z" in column 1 (arrival) is more than 1000000000 seconds (about 31 years) after the first row',
    ],
    [
      "a duration of 1e12 seconds",
      "arrival,duration,env\n0,1e12,a\n",
      ':2:2: "1e12" in column 2 (duration) is too large; expected a number of seconds from 0 to 1000000000 (about 31 years)',
    ],
    [
      "no env anywhere",
      "arrival,duration\n0,1\n",
      ":1: no env column and no env given on the workload",
    ],
  ];
  for (const [what, text, expected] of cases) {
    it(`TasksCsvSource rejects ${what} with one BAD_TRACE line naming file, line and column`, async () => {
      const path = writeTrace(`bad-${what.replace(/\W+/g, "-")}.csv`, text);
      const { code, message } = await replayError({ path, format: "tasks" });
      expect(code).to.equal("BAD_TRACE");
      expect(message).to.contain(path + expected);
      expect(message).not.to.contain("\n");
    });
  }

  it("TasksCsvSource with skipBadRows warns about each bad row, skips it, and counts them", async () => {
    const text = "arrival,duration,env\n0,1,a\n1,x,a\n2,1\n1.5,1,a\n3,1,a\n";
    const path = writeTrace("skip.csv", text);
    const { tasks, warnings } = await replay({ path, format: "tasks", skipBadRows: true });
    expect(rows(tasks).map((row) => row[0])).to.deep.equal([0, 1.5, 3]);
    expect(warnings).to.have.length(3);
    expect(warnings[0]).to.match(
      /:3:2: "x" in column 2 \(duration\).*\(row skipped: skipBadRows is on\)$/,
    );
    expect(warnings[2]).to.equal(`${path}: skipped 2 bad rows (lines 3, 4)`);
  });
});

describe("tasks trace: quoted fields over several lines", () => {
  const header = "arrival,env,duration\n";
  const cases: [string, string, string][] = [
    ["a bad value after the field, on its last line", '0,"a\nb",abc\n', ':3:3: "abc" in column 3'],
    ["a bad value before the field, on its first line", 'x,"a\nb",1\n', ':2:1: "x" in column 1'],
    [
      "a bad value in the row after, past blank lines",
      '0,"a\nb\nc",1\n\n1,api,abc\n',
      ':6:3: "abc" in column 3',
    ],
    ["a field missing after the field", '0,"a\nb"\n', ":3:3: the row has 2 fields"],
    [
      "a quote never closed, past a blank line",
      '0,api,1\n\n1,"a\nb,2\n',
      ":4:2: CSV syntax error: the quote",
    ],
  ];
  for (const [what, rowsText, expected] of cases) {
    for (const [ends, convert] of [
      ["LF", (text: string) => text],
      ["CRLF", (text: string) => text.replace(/\n/g, "\r\n")],
    ] as const) {
      it(`TasksCsvSource names the line of ${what} (${ends})`, async () => {
        const name = `multi-line-${what.replace(/\W+/g, "-")}-${ends}.csv`;
        const path = writeTrace(name, convert(header + rowsText));
        const { message } = await replayError({ path, format: "tasks" });
        expect(message).to.contain(path + expected);
      });
    }
  }

  it("TasksCsvSource keeps a field's line breaks and counts the rows after it from the right line", async () => {
    const path = writeTrace("multi-line-ok.csv", `${header}0,"a\nb",1\n1,c,x\n`);
    const { message } = await replayError({ path, format: "tasks" });
    expect(message).to.contain(`${path}:4:3: "x" in column 3`);
    const good = writeTrace("multi-line-good.csv", `${header}0,"a\nb",1\n1,c,2\n`);
    const { tasks } = await replay({ path: good, format: "tasks" });
    expect(tasks.map((task) => task.env)).to.deep.equal(["a\nb", "c"]);
  });
});

describe("tasks trace: duplicate ids without a parent column", () => {
  it("TasksCsvSource rejects an id seen on an earlier row, naming both lines and the cell", async () => {
    const path = writeTrace("dup-ids.csv", "arrival,duration,env,id\n0,1,a,x\n1,1,a,y\n2,1,b,x\n");
    expect((await replayError({ path, format: "tasks" })).message).to.equal(
      `${path}:4:4: duplicate task id "x" in column 4 (id) (first at line 2); expected each task ` +
        "id once in the trace",
    );
  });

  it("TasksJsonlSource rejects a repeated id too, at the value's column", async () => {
    const line = '{"arrival": 1, "duration": 1, "id": "x"}';
    const path = writeTrace("dup-ids.jsonl", `${line}\n${line}\n`);
    const { message } = await replayError({ path, format: "tasks", env: "a" });
    expect(message).to.include(`${path}:2:${line.indexOf('"x"') + 1}: duplicate task id "x"`);
  });

  it("TasksCsvSource with skipBadRows skips the later row of a duplicate, keeping the first", async () => {
    const path = writeTrace("dup-skip.csv", "arrival,duration,env,id\n0,1,a,x\n1,2,a,x\n2,1,a,z\n");
    const { tasks, warnings } = await replay({ path, format: "tasks", skipBadRows: true });
    expect(rows(tasks)).to.deep.equal([
      [0, 1, "a", "x"],
      [2, 1, "a", "z"],
    ]);
    expect(warnings.at(-1)).to.equal(`${path}: skipped 1 bad row (line 3)`);
  });

  it("TasksCsvSource does not check rows without an id, nor copies made by load 2", async () => {
    const path = writeTrace("no-ids.csv", "arrival,duration,env,id\n0,1,a,\n1,1,a,\n2,1,a,x\n");
    const { tasks } = await replay({ path, format: "tasks", load: 2 });
    expect(tasks.map((task) => task.id)).to.deep.equal([
      "w0-1",
      "w0-1+2",
      "w0-2",
      "w0-2+2",
      "x",
      "x+2",
    ]);
  });

  it("TasksCsvSource past checkedIdsLimit warns once and checks later ids against the kept ones", async () => {
    const run = async (text: string) => {
      const logger = new RecordingLogger();
      const path = writeTrace("ids-limit.csv", `arrival,duration,env,id\n${text}`);
      const badRows = new BadRows(path, false, logger);
      const options = { label: "w", path, idPrefix: "w0-", horizonMicros: Infinity, badRows };
      const source = new TasksCsvSource({ ...options, checkedIdsLimit: 2 });
      const ids: string[] = [];
      try {
        for (let batch = await source.next(); batch !== null; batch = await source.next()) {
          ids.push(...batch.map((task) => task.id));
        }
        return { path, ids, warnings: logger.warnings, error: null };
      } catch (error) {
        return { path, ids, warnings: logger.warnings, error: (error as Error).message };
      }
    };

    // a and b are kept; c is past the limit (the warning is at its line 4), d is not kept.
    const past = await run("0,1,e,a\n1,1,e,b\n2,1,e,c\n3,1,e,d\n4,1,e,c\n");
    expect(past.error).to.equal(null);
    expect(past.ids).to.deep.equal(["a", "b", "c", "d", "c"]);
    expect(past.warnings).to.deep.equal([
      `${past.path}:4: more than 2 task ids: ids from this line on are checked for duplicates only against ` +
        "the first 2, which are kept in memory (a trace with a parent column is checked in full)",
    ]);
    // A later row repeating a kept id is still found.
    const kept = await run("0,1,e,a\n1,1,e,b\n2,1,e,c\n3,1,e,a\n");
    expect(kept.error).to.match(
      /:5:4: duplicate task id "a" in column 4 \(id\) \(first at line 2\)/,
    );
  });
});

describe("tasks trace: an empty env", () => {
  it("TaskRowReader gives a row with an empty env cell the workload's env", async () => {
    const path = writeTrace("empty-env.csv", "arrival,duration,env\n0,1,api\n1,1,\n");
    const { tasks } = await replay({ path, format: "tasks", env: "fallback" });
    expect(tasks.map((task) => task.env)).to.deep.equal(["api", "fallback"]);
  });

  it("TaskRowReader gives a JSON object with an empty or null env the workload's env", async () => {
    const text = [
      '{"arrival": 0, "duration": 1, "env": ""}',
      '{"arrival": 1, "duration": 1, "env": null}',
    ];
    const path = writeTrace("empty-env.jsonl", text.join("\n"));
    const { tasks } = await replay({ path, format: "tasks", env: "fallback" });
    expect(tasks.map((task) => task.env)).to.deep.equal(["fallback", "fallback"]);
  });

  it("TaskRowReader rejects an empty env cell when the workload gives none, naming the cell", async () => {
    const path = writeTrace("empty-env-no-fallback.csv", "arrival,duration,env\n0,1,api\n1,1,\n");
    expect((await replayError({ path, format: "tasks" })).message).to.equal(
      `${path}:3:3: "" in column 3 (env) is not valid; expected an environment name, or env on ` +
        "the workload for rows that leave it empty",
    );
  });
});

describe("tasks trace: the count of skipped rows", () => {
  // 5,000 rows, more than one batch (4,096): a window or horizon at 100 s stops the replay long
  // before the end of the file, which is then closed, not read to its end.
  const rowsWithBadLine3 = Array.from({ length: 5000 }, (_, i) =>
    i === 1 ? `${i},x,a` : `${i},1,a`,
  );
  const csv = ["arrival,duration,env", ...rowsWithBadLine3].join("\n");
  const jsonl = Array.from({ length: 5000 }, (_, i) =>
    JSON.stringify({ arrival: i, duration: i === 1 ? "x" : 1, env: "a" }),
  ).join("\n");
  const skipped = (warnings: string[]) => warnings.filter((w) => / skipped \d+ bad row/.test(w));

  for (const [name, text] of [
    ["early.csv", csv],
    ["early.jsonl", jsonl],
  ] as const) {
    const line = name.endsWith(".csv") ? 3 : 2;

    it(`openTrace({to: 100s}) on ${name} reports the skipped row once, though the file is closed early`, async () => {
      const path = writeTrace(name, text);
      const { tasks, warnings } = await replay({
        path,
        format: "tasks",
        skipBadRows: true,
        toSeconds: 100,
      });
      expect(tasks).to.have.length(99);
      expect(skipped(warnings)).to.deep.equal([`${path}: skipped 1 bad row (line ${line})`]);
    });

    it(`openTrace() with a horizon of 100 s on ${name} reports the skipped row once`, async () => {
      const path = writeTrace(`horizon-${name}`, text);
      const { tasks, warnings } = await replay(
        { path, format: "tasks", skipBadRows: true },
        1,
        100,
      );
      expect(tasks).to.have.length(99);
      expect(skipped(warnings)).to.deep.equal([`${path}: skipped 1 bad row (line ${line})`]);
    });

    it(`openTrace() read to the end of ${name} reports the skipped row once`, async () => {
      const path = writeTrace(`whole-${name}`, text);
      const { tasks, warnings } = await replay({ path, format: "tasks", skipBadRows: true });
      expect(tasks).to.have.length(4999);
      expect(skipped(warnings)).to.deep.equal([`${path}: skipped 1 bad row (line ${line})`]);
    });
  }
});

describe("tasks trace: window, load, top and mapping", () => {
  const text = "arrival,duration,env\n0,1,a\n1,1,b\n2,1,a\n3,1,c\n4,1,a\n5,1,b\n";

  it("openTrace({from, to}) keeps arrivals in [from, to), shifted so from is 0", async () => {
    const path = writeTrace("window.csv", text);
    const { tasks } = await replay({ path, format: "tasks", fromSeconds: 1, toSeconds: 4 });
    expect(rows(tasks).map((row) => [row[0], row[2]])).to.deep.equal([
      [0, "b"],
      [1, "a"],
      [2, "c"],
    ]);
  });

  it("openTrace({top: 2}) keeps the two environments with most tasks", async () => {
    const path = writeTrace("top.csv", text);
    const { tasks } = await replay({ path, format: "tasks", top: 2 });
    expect(new Set(tasks.map((task) => task.env))).to.deep.equal(new Set(["a", "b"]));
    expect(tasks).to.have.length(5);
  });

  it("openTrace({load: 2}) gives every task twice, at the same instant, ids suffixed", async () => {
    const path = writeTrace("load.csv", "arrival,duration,env,id\n0,1,a,x\n1,2,a,y\n");
    const { tasks } = await replay({ path, format: "tasks", load: 2 });
    expect(rows(tasks)).to.deep.equal([
      [0, 1, "a", "x"],
      [0, 1, "a", "x+2"],
      [1, 2, "a", "y"],
      [1, 2, "a", "y+2"],
    ]);
  });

  it("openTrace({load: 0.5}) keeps about half the tasks, the same half for the same seed", async () => {
    const lines = Array.from({ length: 4000 }, (_, i) => `${i},1,a`);
    const path = writeTrace("thin.csv", ["arrival,duration,env", ...lines].join("\n"));
    const first = await replay({ path, format: "tasks", load: 0.5 });
    const again = await replay({ path, format: "tasks", load: 0.5 });
    // Binomial(4000, 0.5): standard deviation sqrt(4000 / 4) = 31.6; 4 of them is 126.
    expect(first.tasks.length).to.be.within(2000 - 126, 2000 + 126);
    expect(rows(again.tasks)).to.deep.equal(rows(first.tasks));
  });

  it("openTrace({load: 0.5}) with another seed keeps another half", async () => {
    const lines = Array.from({ length: 4000 }, (_, i) => `${i},1,a`);
    const path = writeTrace("thin-seeds.csv", ["arrival,duration,env", ...lines].join("\n"));
    const first = await replay({ path, format: "tasks", load: 0.5 }, 1);
    const other = await replay({ path, format: "tasks", load: 0.5 }, 2);
    // Two independent halves of 4000 are the same with probability 2^-4000.
    expect(rows(other.tasks)).not.to.deep.equal(rows(first.tasks));
    // Binomial(4000, 0.5) again: within 4 standard deviations (126) of 2000.
    expect(other.tasks.length).to.be.within(2000 - 126, 2000 + 126);
  });

  it('openTrace({mapping: {by: "all"}}) puts every task in the workload\'s env', async () => {
    const path = writeTrace("all.csv", text);
    const { tasks } = await replay({ path, format: "tasks", mapping: { by: "all" }, env: "one" });
    expect(new Set(tasks.map((task) => task.env))).to.deep.equal(new Set(["one"]));
  });
});

describe("tasks trace: environments the scenario does not define", () => {
  const environments = environmentCheck({
    environments: [env("api", "none"), env("web", "none")],
    environmentPatterns: [{ glob: "*-http", template: env("x", "none") as EnvironmentTemplate }],
  });
  const csv = "arrival,duration,env\n0,1,api\n1,1,f1-http\n2,1,apii\n3,1,web\n";
  const jsonl = [
    '{"arrival": 0, "duration": 1, "env": "api"}',
    '{"arrival": 1, "duration": 1, "env": "f1-http"}',
    '{"arrival": 2, "duration": 1, "env": "apii"}',
    '{"arrival": 3, "duration": 1, "env": "web"}',
  ].join("\n");
  const DEFINED = 'did you mean "api"? expected one it defines (api, web) or a name matching';

  it("TasksCsvSource rejects a row naming another environment at its line and column", async () => {
    const path = writeTrace("undefined-env.csv", csv);
    const { code, message } = await replayError({ path, format: "tasks" }, environments);
    expect(code).to.equal("BAD_TRACE");
    expect(message).to.contain(
      `${path}:4:3: "apii" in column 3 (env) is not an environment of the scenario; ${DEFINED}`,
    );
  });

  it("TasksJsonlSource rejects it at the value's character column", async () => {
    const path = writeTrace("undefined-env.jsonl", jsonl);
    const { message } = await replayError({ path, format: "tasks" }, environments);
    expect(message).to.contain(`${path}:3:38: "apii" in key "env" is not an environment`);
  });

  it("TasksCsvSource with skipBadRows skips the row and keeps the rest", async () => {
    const path = writeTrace("undefined-env-skip.csv", csv);
    const spec = { path, format: "tasks", skipBadRows: true } as const;
    const { tasks, warnings } = await replay(spec, 1, Infinity, environments);
    expect(tasks.map((task) => task.env)).to.deep.equal(["api", "f1-http", "web"]);
    expect(warnings[warnings.length - 1]).to.equal(`${path}: skipped 1 bad row (line 4)`);
  });

  it("openTrace({top: 2}) reads an environment outside the top without a check", async () => {
    const path = writeTrace("undefined-env-top.csv", `${csv}4,1,api\n5,1,web\n`);
    const { tasks } = await replay({ path, format: "tasks", top: 2 }, 1, Infinity, environments);
    expect(tasks.map((task) => task.env)).to.deep.equal(["api", "web", "api", "web"]);
  });

  it("openTrace({top: 1}) rejects a row of the top environment that the scenario lacks", async () => {
    const path = writeTrace("undefined-env-top1.csv", `${csv}4,1,apii\n`);
    const { message } = await replayError({ path, format: "tasks", top: 1 }, environments);
    expect(message).to.contain(`${path}:4:3: "apii" in column 3 (env)`);
  });

  it('openTrace({mapping: {by: "all"}}) reads every name: all go to the one environment', async () => {
    const path = writeTrace("undefined-env-all.csv", csv);
    const spec = { path, format: "tasks", mapping: { by: "all" }, env: "api" } as const;
    const { tasks } = await replay(spec, 1, Infinity, environments);
    expect(tasks).to.have.length(4);
  });
});

import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { spawnSync } from "node:child_process";
import { expect } from "chai";
import { RandomStreams } from "../../sim/random.js";
import { REPO_ROOT } from "../workloads/trace-helpers.js";
import { cli } from "./io.js";

/*
 * The catalogue of malformed inputs: every scenario and trace mistake a user is likely to make,
 * run through the real CLI. Each must give exit code 2 and one line, "reuse-sim: error: ...",
 * naming the file, the line and column (or the field), quoting the bad value and saying what was
 * expected; no stack trace, and no output folder (nor a staging folder) left behind.
 */

interface BadInput {
  name: string;
  /** Files to write into a fresh folder, by relative path; a path ending in "/" is a folder. */
  files: Record<string, string | Buffer>;
  /** The scenario's path in that folder; "scenario.yaml" unless given. */
  scenario?: string;
  /** More arguments after `run SCENARIO --out DIR --quiet`; "{dir}" is the folder. */
  args?: string[];
  /** Fragments the one line must hold: the place, the quoted value, the expectation. */
  expect: string[];
}

// Line 4 is the policy, 7 the arrivals, 8 the duration.
const SYNTHETIC = `horizon: 10m
environments:
  api:
    policy: {replicas: [1, 4], idle_ttl: 2m}
workloads:
  - env: api
    arrivals: {process: poisson, rate: 1}
    duration: {dist: exponential, mean: 1s}
`;

/** The synthetic scenario with one piece of text replaced. */
function synthetic(from: string, to: string): string {
  if (!SYNTHETIC.includes(from)) throw new Error(`no ${from} in the scenario`);
  return SYNTHETIC.replace(from, to);
}

const SYNTHETIC_JSON = JSON.stringify(
  {
    horizon: "10m",
    environments: { api: { policy: { replicas: [1, 4] } } },
    workloads: [
      {
        env: "api",
        arrivals: { process: "poisson", rate: 1 },
        duration: { dist: "constant", value: 1 },
      },
    ],
  },
  null,
  2,
);

/** A scenario replaying one trace file; `path` may be "${TRACE}" for --trace. */
function replay(path: string, format: string): string {
  const templates = format === "tasks" ? "  api: {policy: none}\n" : "  default: {policy: none}\n";
  const env = format === "tasks" ? "    env: api\n" : "";
  return `environments:\n${templates}workloads:\n  - trace: {path: "${path}", format: ${format}}\n${env}`;
}

const tasksCsv = (content: string | Buffer) => ({
  "scenario.yaml": replay("trace.csv", "tasks"),
  "trace.csv": content,
});
const tasksJsonl = (content: string | Buffer) => ({
  "scenario.yaml": replay("trace.jsonl", "tasks"),
  "trace.jsonl": content,
});
const azure2021 = (content: string | Buffer) => ({
  "scenario.yaml": replay("invocations.csv", "azure2021"),
  "invocations.csv": content,
});

const FN = "f".repeat(64);
const PERCENTILES = [0, 1, 25, 50, 75, 99, 100].map((p) => `percentile_Average_${p}`);
const DURATIONS = [
  ["HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum", ...PERCENTILES].join(","),
  `o1,a1,${FN},100,3,100,100,100,100,100,100,100,100,100`,
].join("\n");
const INVOCATIONS_HEADER = "HashOwner,HashApp,HashFunction,Trigger,1,2,3";
const INVOCATION = `o1,a1,${FN},http,2,0,1`;

/** An azure2019 folder: day/invocations.csv as given, beside a good durations.csv. */
const azure2019 = (invocations: string | Buffer, durations: string | Buffer = DURATIONS) => ({
  "scenario.yaml": replay("day", "azure2019"),
  "day/invocations.csv": invocations,
  "day/durations.csv": durations,
});

const MEMORY_HEADER = "HashOwner,HashApp,SampleCount,AverageAllocatedMb";
/** A good azure2019 folder with day/memory.csv as given. */
const azure2019Memory = (memory: string | Buffer) => ({
  ...azure2019(`${INVOCATIONS_HEADER}\n${INVOCATION}\n`),
  "day/memory.csv": memory,
});

/** Bytes from a fixed seed: the same garbage on every run. */
function garbage(count: number): Buffer {
  const rng = new RandomStreams(2024).stream("garbage");
  return Buffer.from(Array.from({ length: count }, () => Math.floor(rng() * 256)));
}

const BOM = "\uFEFF";
const crlf = (text: string) => text.replace(/\n/g, "\r\n");
const withNul = (text: string, line: number) => {
  const lines = text.split("\n");
  lines[line - 1] = `\0${lines[line - 1]}`;
  return Buffer.from(lines.join("\n"));
};

/** `count` columns: the header, or a row of "1"s. */
const wide = (count: number, name = (index: number) => `c${index}`) =>
  Array.from({ length: count }, (_, index) => name(index)).join(",");

const DURATION_EXPECTED = "expected a number of seconds >= 0";
const TAIL_EXPECTED =
  "expected a number of seconds >= 0 (the parent's own work after its last child), or empty";
const ROW_TOO_LONG = "a row of more than 1048576 characters (1 MiB)";
const NOT_TEXT = ["is not UTF-8 text", "expected a trace as UTF-8 text"];

const SCENARIO_ENTRIES: BadInput[] = [
  {
    name: "YAML syntax error: a flow mapping never closed",
    files: { "scenario.yaml": synthetic("idle_ttl: 2m}", "idle_ttl: 2m") },
    expect: ["scenario.yaml:5:1: ", "YAML syntax error", '(at "workloads:")', "expected"],
  },
  {
    name: "YAML syntax error: a tab as indentation",
    files: { "scenario.yaml": synthetic("  api:\n", "\tapi:\n") },
    expect: ["scenario.yaml:3:1: ", "YAML syntax error", '(at "api:")', "expected spaces"],
  },
  {
    name: "YAML: a duplicate key",
    files: { "scenario.yaml": `${SYNTHETIC}horizon: 1h\n` },
    expect: ["scenario.yaml:9:1: ", '(at "horizon: 1h")', "expected each key once"],
  },
  {
    name: "YAML: a second document",
    files: { "scenario.yaml": `${SYNTHETIC}---\nhorizon: 1h\n` },
    expect: ["scenario.yaml:9:1: ", "a second document", '(at "---")', "expected one document"],
  },
  {
    name: "JSON syntax error: a missing comma",
    files: { "scenario.json": SYNTHETIC_JSON.replace('"10m",', '"10m"') },
    scenario: "scenario.json",
    expect: [
      "scenario.json:3:3: ",
      "JSON syntax error: Expected ',' or '}' after property value",
      '(at "\\"environments\\"',
      "expected a comma (,) between the entries of an object, or its closing }",
    ],
  },
  {
    name: "JSON syntax error: a mapping never closed",
    files: { "scenario.json": SYNTHETIC_JSON.trim().slice(0, -1) },
    scenario: "scenario.json",
    expect: [
      "scenario.json:26:1: ",
      "JSON syntax error: Expected ',' or '}' after property value",
      "(at the end of the file)",
      "expected a comma (,) between the entries of an object, or its closing }",
    ],
  },
  {
    name: "JSON syntax error: a trailing comma",
    files: { "scenario.json": SYNTHETIC_JSON.replace('"rate": 1', '"rate": 1,') },
    scenario: "scenario.json",
    expect: [
      "scenario.json:19:7: ",
      "JSON syntax error: Expected double-quoted property name",
      '(at "},")',
      "JSON allows no comma after the last entry",
    ],
  },
  {
    name: "JSON syntax error: a trailing comma in a list",
    files: {
      "scenario.json": SYNTHETIC_JSON.replace(/"replicas": \[\s*1,\s*4/, '"replicas": [1, 4,'),
    },
    scenario: "scenario.json",
    expect: [
      "scenario.json:",
      'JSON syntax error: Unexpected token "]"',
      "expected a value: JSON allows no comma after the last item",
    ],
  },
  {
    name: "JSON syntax error: a comment",
    files: { "scenario.json": SYNTHETIC_JSON.replace('"10m",', '"10m", // ten minutes') },
    scenario: "scenario.json",
    expect: [
      "scenario.json:2:21: ",
      "JSON syntax error",
      '(at "// ten minutes")',
      "expected no comment (JSON has none",
    ],
  },
  {
    name: "JSON syntax error: single quotes",
    files: { "scenario.json": SYNTHETIC_JSON.replace('"env": "api"', "'env': 'api'") },
    scenario: "scenario.json",
    expect: [
      "scenario.json:",
      "JSON syntax error",
      "(at \"'env': 'api',\")",
      "expected double quotes",
    ],
  },
  {
    name: "JSON: a word for a value (tru)",
    files: { "scenario.json": SYNTHETIC_JSON.replace('"rate": 1', '"rate": tru') },
    scenario: "scenario.json",
    expect: [
      "scenario.json:18:20: ",
      'JSON syntax error: Unexpected token "\\n" (at the end of the line)',
      "expected a value",
    ],
  },
  {
    name: "JSON: a key given twice",
    files: {
      "scenario.json": SYNTHETIC_JSON.replace(
        '"horizon": "10m",',
        '"horizon": "10m", "horizon": "1h",',
      ),
    },
    scenario: "scenario.json",
    expect: [
      "scenario.json:2:21: ",
      "JSON syntax error",
      '(at "\\"horizon\\": \\"1h\\",")',
      "expected each key once",
    ],
  },
  {
    name: "JSON: a BOM, then a string where a number goes: the position is unchanged",
    files: { "scenario.json": BOM + SYNTHETIC_JSON.replace('"rate": 1', '"rate": "1"') },
    scenario: "scenario.json",
    expect: ["scenario.json:18:17: ", "workloads[0].arrivals.rate", 'got "1"', "expected a number"],
  },
  {
    name: "YAML: an alias with no anchor",
    files: { "scenario.yaml": synthetic("rate: 1}", "rate: *fast}") },
    expect: [
      "scenario.yaml:7:40: ",
      "the alias *fast comes before any anchor &fast",
      "expected each alias (*name) after the anchor",
    ],
  },
  {
    name: "YAML: a key that is a list",
    files: { "scenario.yaml": synthetic("  api:\n", "  ? [a, b]\n  : 1\n  api:\n") },
    expect: [
      "scenario.yaml:3:5: ",
      'a key that is a list or a mapping ("[a, b]")',
      "expected a plain key",
    ],
  },
  {
    name: "YAML: a merge key of a number",
    files: { "scenario.yaml": synthetic("    policy:", "    <<: 3\n    policy:") },
    expect: [
      "scenario.yaml:4:9: ",
      '"3" cannot be merged',
      "expected a merge key (<<) to take a mapping",
    ],
  },
  {
    name: "a control period shorter than the clock's microsecond",
    files: { "scenario.yaml": `controlPeriod: 0.0000004\n${SYNTHETIC}` },
    expect: ["scenario.yaml:1:16: ", "controlPeriod: ", "at least 1 microsecond", "got 4e-7"],
  },
  {
    name: "--trace and --var TRACE= together",
    files: { "scenario.yaml": replay("${TRACE}", "tasks"), "a.csv": "arrival,duration\n0,1\n" },
    args: ["--trace", "{dir}/a.csv", "--var", "TRACE={dir}/b.csv"],
    expect: ["--trace ", "and --var TRACE=", "both set the trace", "expected one of them"],
  },
  {
    name: "a --var the scenario does not use",
    files: { "scenario.yaml": SYNTHETIC },
    args: ["--var", "DATA=somewhere"],
    expect: ["scenario.yaml: ", "--var DATA was given, but the scenario uses no ${DATA}"],
  },
  {
    name: "a timeline step under a millisecond",
    files: { "scenario.yaml": `timelineStep: 0.0000001\n${SYNTHETIC}` },
    expect: ["scenario.yaml:1:15: ", "timelineStep: ", "at least 1 millisecond", "got 1e-7"],
  },
  {
    name: "an environment named with the empty string",
    files: { "scenario.yaml": synthetic("  api:\n", '  api:\n    policy: none\n  "":\n') },
    expect: ["scenario.yaml:6:5: ", `environments[""]`, "expected a name that is not empty"],
  },
  {
    name: "a fan-out that makes more than a million tasks a root",
    files: {
      "scenario.yaml": synthetic(
        "duration: {dist: exponential, mean: 1s}",
        "duration: {dist: exponential, mean: 1s}\n    fanout: {count: 1000, depth: 3, duration: {dist: constant, value: 1}}",
      ),
    },
    expect: [
      "scenario.yaml:9:13: ",
      "workloads[0].fanout: ",
      "more than 1000000 tasks",
      "expected at most 1000000",
    ],
  },
  {
    name: "an environment named like a built-in property",
    files: {
      "scenario.yaml": SYNTHETIC.replace("  api:", "  constructor:").replace(
        "env: api",
        "env: constructor",
      ),
    },
    expect: [
      "scenario.yaml:4:5: ",
      '"constructor" cannot name an environment',
      "expected another name",
    ],
  },
  {
    name: "a trace of sync tasks into a template with concurrency > 1",
    files: {
      "scenario.yaml":
        "environments:\n  default: {policy: {replicas: 1, concurrency: 4}}\nworkloads:\n  - trace: {path: trace.csv, format: tasks}\n",
      "trace.csv": "arrival,duration,env\n0,1,a\n",
    },
    expect: [
      "scenario.yaml:",
      "workloads[0].async",
      'environment "default" has concurrency 4',
      "set async: true",
    ],
  },
  {
    name: "JSON: a string where a number goes",
    files: { "scenario.json": SYNTHETIC_JSON.replace('"rate": 1', '"rate": "1"') },
    scenario: "scenario.json",
    expect: ["scenario.json:18:17: ", "workloads[0].arrivals.rate", 'got "1"', "expected a number"],
  },
  {
    name: "an unknown key, with a suggestion",
    files: { "scenario.yaml": synthetic("idle_ttl", "idle_tl") },
    expect: ["scenario.yaml:4:32: ", "policy.idle_tl: unknown key", 'did you mean "idle_ttl"'],
  },
  {
    name: "an unknown key of poisson arrivals, with poisson's keys only",
    files: { "scenario.yaml": synthetic("rate: 1}", "rate: 1, onn: 2}") },
    expect: [
      "scenario.yaml:7:43: ",
      "arrivals.onn: unknown key",
      "poisson arrival process takes rate",
    ],
  },
  {
    name: "an unknown key like no known one, with the keys allowed",
    files: { "scenario.yaml": synthetic("api:\n", "api:\n    flavour: large\n") },
    expect: ["scenario.yaml:4:5: ", "environments.api.flavour: unknown key", "takes", "policy"],
  },
  {
    name: "a wrong type: a word for concurrency",
    files: { "scenario.yaml": synthetic("idle_ttl: 2m}", "idle_ttl: 2m, concurrency: four}") },
    expect: ["scenario.yaml:4:59: ", "policy.concurrency", 'got "four"', "expected a number"],
  },
  {
    name: "a wrong type: a list for the horizon",
    files: { "scenario.yaml": synthetic("horizon: 10m", "horizon: [10, m]") },
    expect: ["scenario.yaml:1:10: ", "horizon", 'got [10,"m"]', "expected a number of seconds"],
  },
  {
    name: "a negative number: rate -1",
    files: { "scenario.yaml": synthetic("rate: 1", "rate: -1") },
    expect: ["scenario.yaml:7:40: ", "arrivals.rate", "got -1", "expected a number > 0"],
  },
  {
    name: "a huge number: rate 1e308",
    files: { "scenario.yaml": synthetic("rate: 1", "rate: 1e308") },
    expect: ["scenario.yaml:7:40: ", "arrivals.rate", "got 1e+308", "expected a number <= 1000000"],
  },
  {
    name: "a number too large for a double: rate 1e400",
    files: { "scenario.yaml": synthetic("rate: 1", "rate: 1e400") },
    expect: ["scenario.yaml:7:40: ", "arrivals.rate", "got 1e400, a number too large", "expected"],
  },
  {
    name: "a huge duration: horizon 1e300 seconds",
    files: { "scenario.yaml": synthetic("horizon: 10m", "horizon: 1e300") },
    expect: ["scenario.yaml:1:10: ", "horizon: 1e+300 is too long", "expected at most"],
  },
  {
    name: "a periodic interval below a microsecond",
    files: {
      "scenario.yaml": synthetic("{process: poisson, rate: 1}", "{process: periodic, every: 1e-7}"),
    },
    expect: ["scenario.yaml:7:", "arrivals.every", "got 1e-7", "at least 1 microsecond"],
  },
  {
    name: "periodic batches above a million tasks a second",
    files: {
      "scenario.yaml": synthetic(
        "{process: poisson, rate: 1}",
        "{process: periodic, every: 1ms, batch: 5000}",
      ),
    },
    expect: ["scenario.yaml:7:", "arrivals.batch", "batch 5000 every 0.001 s", "at most 1000000"],
  },
  {
    name: "a Pareto with shape 1 and no cap",
    files: {
      "scenario.yaml": synthetic(
        "{dist: exponential, mean: 1s}",
        "{dist: pareto, scale: 1s, shape: 1}",
      ),
    },
    expect: ["scenario.yaml:8:", "duration.shape", "got 1", "expected a shape > 1, or a cap"],
  },
  {
    name: "NaN: rate .nan",
    files: { "scenario.yaml": synthetic("rate: 1", "rate: .nan") },
    expect: ["scenario.yaml:7:40: ", "arrivals.rate", "got NaN", "expected a number"],
  },
  {
    name: 'a duration "5 minutes"',
    files: { "scenario.yaml": synthetic("horizon: 10m", "horizon: 5 minutes") },
    expect: ["scenario.yaml:1:10: ", "horizon", '"5 minutes" is not a duration', "expected"],
  },
  {
    name: 'a duration "-3s"',
    files: { "scenario.yaml": synthetic("mean: 1s", 'mean: "-3s"') },
    expect: ["scenario.yaml:8:41: ", "duration.mean", '"-3s" is negative', "expected 0 or more"],
  },
  {
    name: "a negative number of seconds: -3",
    files: { "scenario.yaml": synthetic("mean: 1s", "mean: -3") },
    expect: ["scenario.yaml:8:41: ", "duration.mean", "-3 is negative", "expected 0 or more"],
  },
  {
    name: "replicas [5, 2]",
    files: { "scenario.yaml": synthetic("[1, 4]", "[5, 2]") },
    expect: ["scenario.yaml:4:24: ", "policy.replicas", "[5, 2]", "expected [min, max]"],
  },
  {
    name: "concurrency 0",
    files: { "scenario.yaml": synthetic("idle_ttl: 2m}", "idle_ttl: 2m, concurrency: 0}") },
    expect: ["scenario.yaml:4:59: ", "policy.concurrency", "0 leaves", "expected a whole number"],
  },
  {
    name: "an unknown distribution",
    files: { "scenario.yaml": synthetic("dist: exponential", "dist: expo") },
    expect: ["scenario.yaml:8:22: ", "duration.dist", '"expo"', 'did you mean "exponential"'],
  },
  {
    name: "a missing trace file",
    files: { "scenario.yaml": replay("traces/day.csv", "tasks") },
    expect: ["scenario.yaml:4:19: ", "trace.path", 'no such file "traces/day.csv"', "expected"],
  },
  {
    name: "a trace path that is a folder",
    files: { "scenario.yaml": replay("traces", "tasks"), "traces/": "" },
    expect: ["scenario.yaml:4:19: ", "trace.path", '"traces" is a folder', "expected a trace file"],
  },
  {
    name: "--var TRACE= (an empty value)",
    files: { "scenario.yaml": replay("${TRACE}", "tasks") },
    args: ["--var", "TRACE="],
    expect: ["--var TRACE: empty value; expected a path"],
  },
  {
    name: "--trace with an empty path",
    files: { "scenario.yaml": replay("${TRACE}", "tasks") },
    args: ["--trace", ""],
    expect: ["--trace: empty value; expected a path"],
  },
  {
    name: "--trace naming a folder",
    files: { "scenario.yaml": replay("${TRACE}", "tasks"), "traces/": "" },
    args: ["--trace", "{dir}/traces"],
    expect: ["scenario.yaml:4:19: ", "trace.path", "is a folder", "expected a trace file"],
  },
  {
    name: "a folder given as the scenario",
    files: { "scenarios/": "" },
    scenario: "scenarios",
    expect: ["scenarios: is a directory", "expected a scenario file (.yaml, .yml or .json)"],
  },
  {
    name: "a missing scenario file",
    files: {},
    scenario: "nothing.yaml",
    expect: ["nothing.yaml: no such file", "expected a scenario file"],
  },
  {
    name: "an empty scenario file",
    files: { "scenario.yaml": "" },
    expect: ["scenario.yaml:1:1: ", "got an empty file", "expected a scenario"],
  },
  {
    name: "a scenario of random bytes",
    files: { "scenario.yaml": garbage(512) },
    expect: ["scenario.yaml:1:", "byte 0x", "is not UTF-8 text", "expected a scenario in YAML"],
  },
  {
    name: "a scenario with a NUL byte",
    files: { "scenario.yaml": withNul(SYNTHETIC, 4) },
    expect: ["scenario.yaml:4:1: ", "byte 0x00 is not UTF-8 text", "expected a scenario"],
  },
  {
    name: "a gzip-compressed scenario",
    files: { "scenario.yaml": gzipSync(SYNTHETIC) },
    expect: ["scenario.yaml:1:", "is not UTF-8 text (the file is gzip-compressed)", "expected"],
  },
  {
    name: "a BOM, then an unknown key: the position is unchanged",
    files: { "scenario.yaml": BOM + synthetic("idle_ttl", "idle_tl") },
    expect: ["scenario.yaml:4:32: ", "policy.idle_tl", 'did you mean "idle_ttl"'],
  },
  {
    name: "CRLF line ends, then an unknown key: the position is unchanged",
    files: { "scenario.yaml": crlf(synthetic("idle_ttl", "idle_tl")) },
    expect: ["scenario.yaml:4:32: ", "policy.idle_tl", 'did you mean "idle_ttl"'],
  },
];

const TASKS_CSV_ENTRIES: BadInput[] = [
  {
    name: "tasks CSV: an empty file",
    files: tasksCsv(""),
    expect: ["trace.csv:1: ", "empty file", "expected a header line such as arrival,duration"],
  },
  {
    name: "tasks CSV: a header and no rows",
    files: tasksCsv("arrival,duration\n"),
    expect: ["trace.csv:2: ", "no rows after the header", "expected at least one task row"],
  },
  {
    name: "tasks CSV: a BOM, then a bad duration",
    files: tasksCsv(`${BOM}arrival,duration\n0,1\n1,abc\n`),
    expect: ["trace.csv:3:2: ", '"abc" in column 2 (duration)', DURATION_EXPECTED],
  },
  {
    name: "tasks CSV: CRLF line ends, then a bad duration",
    files: tasksCsv(crlf("arrival,duration\n0,1\n1,abc\n")),
    expect: ["trace.csv:3:2: ", '"abc" in column 2 (duration)', DURATION_EXPECTED],
  },
  {
    name: "tasks CSV: a quoted field holding a comma",
    files: tasksCsv('arrival,duration\n0,1\n1,"1,5"\n'),
    expect: ["trace.csv:3:2: ", '"1,5" in column 2 (duration)', DURATION_EXPECTED],
  },
  {
    name: "tasks CSV: a quote never closed",
    files: tasksCsv('arrival,duration\n0,1\n1,"2\n3,4\n'),
    expect: ["trace.csv:3:2: ", 'the quote (") that opens this field', "expected a closing quote"],
  },
  {
    name: "tasks CSV: text after a closing quote",
    files: tasksCsv('arrival,duration\n0,"1"x\n'),
    expect: ["trace.csv:2:2: ", '"x" after the closing quote', "expected a comma"],
  },
  {
    name: "tasks CSV: a bad arrival before a quoted field over two lines",
    files: tasksCsv('arrival,env,duration\n0,api,1\nx,"a\nb",1\n'),
    expect: ["trace.csv:3:1: ", '"x" in column 1 (arrival)', "expected seconds >= 0"],
  },
  {
    name: "tasks CSV: a bad duration after a quoted field over three lines (CRLF)",
    files: tasksCsv(crlf('arrival,env,duration\n0,"a\nb\nc",abc\n')),
    expect: ["trace.csv:4:3: ", '"abc" in column 3 (duration)', DURATION_EXPECTED],
  },
  {
    name: "tasks CSV: a row with too many fields",
    files: tasksCsv("arrival,duration\n0,1,api\n"),
    expect: ["trace.csv:2:3: ", 'the first extra field is "api"', "expected 2 fields"],
  },
  {
    name: "tasks CSV: a row with too few fields",
    files: tasksCsv("arrival,duration,env\n0,1,api\n1,2\n"),
    expect: ["trace.csv:3:3: ", 'the last is "2"', "expected 3 fields"],
  },
  {
    name: "tasks CSV: a last line cut short",
    files: tasksCsv("arrival,duration\n0,1\n1,2\n2"),
    expect: ["trace.csv:4:2: ", "the row has 1 field", 'the last is "2"', "expected 2 fields"],
  },
  {
    name: "tasks CSV: NaN",
    files: tasksCsv("arrival,duration\nNaN,1\n"),
    expect: ["trace.csv:2:1: ", '"NaN" in column 1 (arrival)', "expected seconds >= 0"],
  },
  {
    name: "tasks CSV: a negative duration",
    files: tasksCsv("arrival,duration\n0,-3\n"),
    expect: ["trace.csv:2:2: ", '"-3" in column 2 (duration)', DURATION_EXPECTED],
  },
  {
    name: "tasks CSV: an arrival in epoch milliseconds",
    files: tasksCsv("arrival,duration\n1612137600000,1\n"),
    expect: [
      "trace.csv:2:1: ",
      '"1612137600000" in column 1 (arrival) is too large',
      "at most 1000000000 (about 31 years), or an ISO-8601 timestamp",
    ],
  },
  {
    name: "tasks CSV: a duration of 1e12 seconds",
    files: tasksCsv("arrival,duration\n0,1e12\n"),
    expect: [
      "trace.csv:2:2: ",
      '"1e12" in column 2 (duration) is too large',
      "from 0 to 1000000000",
    ],
  },
  {
    name: "tasks CSV: February 30",
    files: tasksCsv("arrival,duration\n2021-02-01T00:00:00Z,1\n2021-02-30T00:00:00Z,1\n"),
    expect: [
      "trace.csv:3:1: ",
      '"2021-02-30T00:00:00Z" in column 1 (arrival) is not valid',
      "expected seconds >= 0 or an ISO-8601 timestamp",
    ],
  },
  {
    name: "tasks CSV: arrivals out of order",
    files: tasksCsv("arrival,duration\n5,1\n4,1\n"),
    expect: ["trace.csv:3:1: ", '"4" in column 1 (arrival)', "expected", "non-decreasing"],
  },
  {
    name: "tasks CSV: timestamps out of order",
    files: tasksCsv("arrival,duration\n2021-02-01T10:00:05Z,1\n2021-02-01T10:00:04Z,1\n"),
    expect: [
      "trace.csv:3:1: ",
      '"2021-02-01T10:00:04Z"',
      'before the row above ("2021-02-01T10:00:05Z")',
      "expected",
    ],
  },
  {
    name: "tasks CSV: duplicate task ids (with a parent column)",
    files: tasksCsv("arrival,duration,id,parent\n0,1,a,\n1,1,a,\n"),
    expect: [
      "trace.csv:3:3: ",
      'duplicate task id "a" in column 3 (id) (first at line 2)',
      "expected each task id once",
    ],
  },
  {
    name: "tasks CSV: duplicate task ids (no parent column)",
    files: tasksCsv("arrival,duration,id\n0,1,a\n1,1,b\n2,1,a\n"),
    expect: [
      "trace.csv:4:3: ",
      'duplicate task id "a" in column 3 (id) (first at line 2)',
      "expected each task id once",
    ],
  },
  {
    name: "tasks JSON Lines: duplicate task ids",
    files: tasksJsonl(
      '{"arrival": 0, "duration": 1, "id": 7}\n{"arrival": 1, "duration": 1, "id": "7"}\n',
    ),
    expect: [
      "trace.jsonl:2:37: ",
      'duplicate task id "7" in key "id" (first at line 1)',
      "expected",
    ],
  },
  {
    name: "tasks CSV: a parent id that does not exist",
    files: tasksCsv("arrival,duration,id,parent\n0,1,a,\n,1,b,zz\n"),
    expect: [
      "trace.csv:3:4: ",
      'parent "zz" in column 4 (parent) of task "b" is not in the trace',
      "expected the id of a task in the trace",
    ],
  },
  {
    name: "tasks CSV: a cycle of parents",
    files: tasksCsv("arrival,duration,id,parent\n0,1,r,\n,1,a,b\n,1,b,a\n"),
    expect: [
      "trace.csv:3:4: ",
      'a cycle of parents in column 4 (parent): "a" -> "b" -> "a"',
      "expected every task to lead up to a task without a parent",
    ],
  },
  {
    name: "tasks CSV: a child row with an arrival of its own",
    files: tasksCsv("arrival,duration,id,parent\n0,1,p,\n3,1,c,p\n"),
    expect: ["trace.csv:3:1: ", '"3" in column 1 (arrival)', "leave it empty"],
  },
  {
    name: "tasks CSV: a tail that is not a number",
    files: tasksCsv("arrival,duration,id,parent,tail\n0,1,p,,abc\n,1,c,p,\n"),
    expect: ["trace.csv:2:5: ", '"abc" in column 5 (tail) is not valid', TAIL_EXPECTED],
  },
  {
    name: "tasks CSV: a negative tail",
    files: tasksCsv("arrival,duration,id,parent,tail\n0,1,p,,-2\n,1,c,p,\n"),
    expect: ["trace.csv:2:5: ", '"-2" in column 5 (tail) is not valid', TAIL_EXPECTED],
  },
  {
    name: "tasks CSV: a tail of 1e12 seconds",
    files: tasksCsv("arrival,duration,id,parent,tail\n0,1,p,,1e12\n,1,c,p,\n"),
    expect: ["trace.csv:2:5: ", '"1e12" in column 5 (tail) is too large', "from 0 to 1000000000"],
  },
  {
    name: "tasks CSV: a tail column without a parent column",
    files: tasksCsv("arrival,duration,tail\n0,1,2\n"),
    expect: ["trace.csv:1:3: ", 'a "tail" column without a "parent" column', "add one"],
  },
  {
    name: "tasks CSV: a tail on a task without children",
    files: tasksCsv("arrival,duration,id,parent,tail\n0,1,p,,\n,1,c,p,2\n"),
    expect: ["trace.csv:3: ", 'task "c" has a tail (2 s) but no children', "leave the tail empty"],
  },
  {
    name: "tasks CSV: an environment named __proto__",
    files: {
      "scenario.yaml": replay("trace.csv", "tasks").replace(
        "api: {policy: none}",
        "default: {policy: none}",
      ),
      "trace.csv": "arrival,duration,env\n0,1,api\n1,1,__proto__\n",
    },
    expect: [
      "trace.csv:3:3: ",
      '"__proto__" in column 3 (env) cannot name an environment',
      "expected another name",
    ],
  },
  {
    name: "tasks CSV: an environment the scenario does not define",
    files: tasksCsv("arrival,duration,env\n0,1,api\n1,1,apii\n"),
    expect: [
      "trace.csv:3:3: ",
      '"apii" in column 3 (env) is not an environment of the scenario',
      'did you mean "api"? expected one it defines (api)',
    ],
  },
  {
    name: "tasks CSV: a missing column",
    files: tasksCsv("arrival,env\n0,api\n"),
    expect: ["trace.csv:1: ", 'missing column "duration"', "the header must name"],
  },
  {
    name: "tasks CSV: random bytes",
    files: tasksCsv(garbage(512)),
    expect: ["trace.csv:1:", "byte 0x", ...NOT_TEXT],
  },
  {
    name: "tasks CSV: a NUL byte",
    files: tasksCsv(withNul("arrival,duration\n0,1\n1,2\n", 3)),
    expect: ["trace.csv:3:1: ", "byte 0x00", ...NOT_TEXT],
  },
  {
    name: "tasks CSV: gzip-compressed",
    files: tasksCsv(gzipSync("arrival,duration\n0,1\n")),
    expect: ["trace.csv:1:", "gzip-compressed: decompress it first", "expected"],
  },
  {
    name: "tasks CSV: a row of 10,000 fields",
    files: tasksCsv(`arrival,duration\n${wide(10_000, () => "1")}\n`),
    expect: ["trace.csv:2:3: ", "the row has 10000 fields", '"1"', "expected 2 fields"],
  },
  {
    name: "tasks CSV: a header of 10,000 columns",
    files: tasksCsv(`arrival,duration,${wide(9_998)}\n0,1,${wide(9_998, () => "1")}\n`),
    expect: ["trace.csv:1:3: ", 'unknown column "c0"', "expected columns among"],
  },
  {
    name: "tasks CSV: a header line of 2 MiB",
    files: tasksCsv(`${wide(300_000)}\n0,1\n`),
    expect: ["trace.csv:1:", ROW_TOO_LONG, "expected CSV rows of at most 1 MiB"],
  },
  {
    name: "tasks CSV: a quoted field of 2 MiB over many lines",
    files: tasksCsv(`arrival,duration,env\n0,1,api\n1,1,"${"x\n".repeat(1_000_000)}"\n`),
    expect: ["trace.csv:3:3: ", ROW_TOO_LONG, "expected CSV rows of at most 1 MiB"],
  },
];

const TASKS_JSONL_ENTRIES: BadInput[] = [
  {
    name: "tasks JSON Lines: nothing but blank lines",
    files: tasksJsonl("\n\n"),
    expect: ["trace.jsonl:1: ", "empty file", "expected one JSON object a line"],
  },
  {
    name: "tasks JSON Lines: a BOM, then a bad duration",
    files: tasksJsonl(`${BOM}{"arrival": 0, "duration": 1}\n{"arrival": 1, "duration": "abc"}\n`),
    expect: ["trace.jsonl:2:28: ", '"abc" in key "duration"', DURATION_EXPECTED],
  },
  {
    name: "tasks JSON Lines: CRLF line ends, then a bad duration",
    files: tasksJsonl('{"arrival": 0, "duration": 1}\r\n{"arrival": 1, "duration": "abc"}\r\n'),
    expect: ["trace.jsonl:2:28: ", '"abc" in key "duration"', DURATION_EXPECTED],
  },
  {
    name: "tasks JSON Lines: a duration of 1e400 (too large for a double)",
    files: tasksJsonl('{"arrival": 0, "duration": 1e400}\n'),
    expect: ["trace.jsonl:1:28: ", '"1e400" in key "duration" is too large', "expected a number"],
  },
  {
    name: "tasks JSON Lines: NaN",
    files: tasksJsonl('{"arrival": 0, "duration": "NaN"}\n'),
    expect: ["trace.jsonl:1:28: ", '"NaN" in key "duration"', DURATION_EXPECTED],
  },
  {
    name: "tasks JSON Lines: a negative duration",
    files: tasksJsonl('{"arrival": 0, "duration": -3}\n'),
    expect: ["trace.jsonl:1:28: ", '"-3" in key "duration"', DURATION_EXPECTED],
  },
  {
    name: "tasks JSON Lines: an object for a duration",
    files: tasksJsonl('{"arrival": 0, "duration": {"s": 1}}\n'),
    expect: ["trace.jsonl:1:28: ", '"{\\"s\\":1}" in key "duration"', DURATION_EXPECTED],
  },
  {
    name: "tasks JSON Lines: an object as env",
    files: tasksJsonl('{"arrival": 0, "duration": 1, "env": {"x": 1}}\n'),
    expect: [
      "trace.jsonl:1:38: ",
      '"{\\"x\\":1}" in key "env"',
      "expected an environment name (a JSON string)",
    ],
  },
  {
    name: "tasks JSON Lines: a list as parent",
    files: tasksJsonl('{"arrival": 0, "duration": 1, "id": "a", "parent": ["p"]}\n'),
    expect: ["trace.jsonl:1:52: ", '"[\\"p\\"]" in key "parent"', "expected the parent's id"],
  },
  {
    name: "tasks JSON Lines: a last line cut short",
    files: tasksJsonl('{"arrival": 0, "duration": 1}\n{"arrival": 1, "dura'),
    expect: ["trace.jsonl:2:21: ", '"{\\"arrival\\": 1, \\"dura"', "expected one JSON object"],
  },
  {
    name: "tasks JSON Lines: a tail that is a list",
    files: tasksJsonl(
      '{"arrival": 0, "duration": 1, "id": "p", "parent": null, "tail": [1]}\n' +
        '{"duration": 1, "id": "c", "parent": "p"}\n',
    ),
    expect: ["trace.jsonl:1:66: ", '"[1]" in key "tail" is not valid', TAIL_EXPECTED],
  },
  {
    name: "tasks JSON Lines: an environment the scenario does not define",
    files: tasksJsonl('{"arrival": 0, "duration": 1, "env": "billing"}\n'),
    expect: [
      "trace.jsonl:1:38: ",
      '"billing" in key "env" is not an environment of the scenario',
      "expected one it defines (api)",
    ],
  },
  {
    name: "tasks JSON Lines: a missing key",
    files: tasksJsonl('{"arrival": 0}\n'),
    expect: ["trace.jsonl:1: ", 'has no "duration"', 'expected an object with "arrival"'],
  },
  {
    name: "tasks JSON Lines: arrivals out of order",
    files: tasksJsonl('{"arrival": 5, "duration": 1}\n{"arrival": 4, "duration": 1}\n'),
    expect: ["trace.jsonl:2:13: ", '"4" in key "arrival"', "non-decreasing"],
  },
  {
    name: "tasks JSON Lines: a list of 10,000 values instead of an object",
    files: tasksJsonl(`[${wide(10_000, () => "1")}]\n`),
    expect: ["trace.jsonl:1:1: ", "[1,1,1", "is not a JSON object", "expected one object a line"],
  },
  {
    name: "tasks JSON Lines: a line of 2 MiB",
    files: tasksJsonl(
      `{"arrival": 0, "duration": 1}\n{"arrival": 1, "id": "${"x".repeat(2 ** 21)}"}\n`,
    ),
    expect: [
      "trace.jsonl:2: ",
      "a line of more than 1048576 characters (1 MiB)",
      "expected lines of at most 1 MiB",
    ],
  },
  {
    name: "tasks JSON Lines: random bytes",
    files: tasksJsonl(garbage(512)),
    expect: ["trace.jsonl:1:", "byte 0x", ...NOT_TEXT],
  },
];

const AZURE2021_HEADER = "app,func,end_timestamp,duration";

const AZURE2021_ENTRIES: BadInput[] = [
  {
    name: "azure2021: an empty file",
    files: azure2021(""),
    expect: ["invocations.csv:1: ", "empty file", `expected a header line ${AZURE2021_HEADER}`],
  },
  {
    name: "azure2021: a header and no rows",
    files: azure2021(`${AZURE2021_HEADER}\n`),
    expect: ["invocations.csv:2: ", "no rows after the header", "expected at least one"],
  },
  {
    name: "azure2021: a BOM, then a bad end",
    files: azure2021(`${BOM}${AZURE2021_HEADER}\na,f,1,0.5\na,f,x,0.5\n`),
    expect: ["invocations.csv:3:3: ", '"x" in column 3 (end_timestamp)', DURATION_EXPECTED],
  },
  {
    name: "azure2021: CRLF line ends, then a bad end",
    files: azure2021(crlf(`${AZURE2021_HEADER}\na,f,1,0.5\na,f,x,0.5\n`)),
    expect: ["invocations.csv:3:3: ", '"x" in column 3 (end_timestamp)', DURATION_EXPECTED],
  },
  {
    name: "azure2021: a quoted field holding a comma",
    files: azure2021(`${AZURE2021_HEADER}\na,f,1,"0,5"\n`),
    expect: ["invocations.csv:2:4: ", '"0,5" in column 4 (duration)', DURATION_EXPECTED],
  },
  {
    name: "azure2021: a row with too many fields",
    files: azure2021(`${AZURE2021_HEADER}\na,f,1,0.5,extra\n`),
    expect: ["invocations.csv:2:5: ", 'the first extra field is "extra"', "expected 4 fields"],
  },
  {
    name: "azure2021: a last line cut short",
    files: azure2021(`${AZURE2021_HEADER}\na,f,1,0.5\na,f,2`),
    expect: ["invocations.csv:3:4: ", 'the last is "2"', "expected 4 fields"],
  },
  {
    name: "azure2021: NaN",
    files: azure2021(`${AZURE2021_HEADER}\na,f,NaN,0.5\n`),
    expect: ["invocations.csv:2:3: ", '"NaN" in column 3 (end_timestamp)', DURATION_EXPECTED],
  },
  {
    name: "azure2021: a negative duration",
    files: azure2021(`${AZURE2021_HEADER}\na,f,1,-0.5\n`),
    expect: ["invocations.csv:2:4: ", '"-0.5" in column 4 (duration)', DURATION_EXPECTED],
  },
  {
    name: "azure2021: a missing column",
    files: azure2021("app,func,end_timestamp\na,f,1\n"),
    expect: ["invocations.csv:1: ", 'missing column "duration"', "the header must name"],
  },
  {
    name: "azure2021: an end of 1e300 seconds",
    files: azure2021(`${AZURE2021_HEADER}\na,f,1e300,1\n`),
    expect: ["invocations.csv:2:3: ", '"1e300" in column 3 (end_timestamp) is too large'],
  },
  {
    name: "azure2021: random bytes",
    files: azure2021(garbage(512)),
    expect: ["invocations.csv:1:", "byte 0x", ...NOT_TEXT],
  },
  {
    name: "azure2021: a row of 10,000 fields",
    files: azure2021(`${AZURE2021_HEADER}\n${wide(10_000, () => "1")}\n`),
    expect: ["invocations.csv:2:5: ", "the row has 10000 fields", "expected 4 fields"],
  },
  {
    name: "azure2021: a row of 2 MiB",
    files: azure2021(`${AZURE2021_HEADER}\na,f,1,${"9".repeat(2 ** 21)}\n`),
    expect: ["invocations.csv:2:4: ", ROW_TOO_LONG, "expected CSV rows of at most 1 MiB"],
  },
];

const AZURE2019_ENTRIES: BadInput[] = [
  {
    name: "azure2019: an empty invocations file",
    files: azure2019(""),
    expect: ["invocations.csv:1: ", "empty file", "expected a header line HashOwner,HashApp"],
  },
  {
    name: "azure2019: a header and no rows",
    files: azure2019(`${INVOCATIONS_HEADER}\n`),
    expect: ["invocations.csv:2: ", "no rows after the header", "expected at least one function"],
  },
  {
    name: "azure2019: a BOM, then a bad count",
    files: azure2019(`${BOM}${INVOCATIONS_HEADER}\no1,a1,${FN},http,2,x,1\n`),
    expect: ["invocations.csv:2:6: ", '"x" in column 6 (2)', "expected a whole number"],
  },
  {
    name: "azure2019: CRLF line ends, then a bad count",
    files: azure2019(crlf(`${INVOCATIONS_HEADER}\no1,a1,${FN},http,2,x,1\n`)),
    expect: ["invocations.csv:2:6: ", '"x" in column 6 (2)', "expected a whole number"],
  },
  {
    name: "azure2019: a quoted field holding a comma",
    files: azure2019(`${INVOCATIONS_HEADER}\no1,a1,${FN},http,"2,0",0,1\n`),
    expect: ["invocations.csv:2:5: ", '"2,0" in column 5 (1)', "expected a whole number"],
  },
  {
    name: "azure2019: a row with too many fields",
    files: azure2019(`${INVOCATIONS_HEADER}\n${INVOCATION},7\n`),
    expect: ["invocations.csv:2:8: ", 'the first extra field is "7"', "expected 7 fields"],
  },
  {
    name: "azure2019: a last line cut short",
    files: azure2019(`${INVOCATIONS_HEADER}\n${INVOCATION}\no1,a1,g,http,2`),
    expect: ["invocations.csv:3:6: ", 'the last is "2"', "expected 7 fields"],
  },
  {
    name: "azure2019: NaN",
    files: azure2019(`${INVOCATIONS_HEADER}\no1,a1,${FN},http,NaN,0,1\n`),
    expect: ["invocations.csv:2:5: ", '"NaN" in column 5 (1)', "expected a whole number"],
  },
  {
    name: "azure2019: a negative count",
    files: azure2019(`${INVOCATIONS_HEADER}\no1,a1,${FN},http,2,-1,1\n`),
    expect: ["invocations.csv:2:6: ", '"-1" in column 6 (2)', "expected a whole number"],
  },
  {
    name: "azure2019: minutes out of order",
    files: azure2019(`HashOwner,HashApp,HashFunction,Trigger,1,3,2\n${INVOCATION}\n`),
    expect: ["invocations.csv:1:6: ", 'the minute column "3"', 'expected "2"'],
  },
  {
    name: "azure2019: a function twice",
    files: azure2019(`${INVOCATIONS_HEADER}\n${INVOCATION}\n${INVOCATION}\n`),
    expect: ["invocations.csv:3: ", `"${FN.slice(0, 12)}" appears again (first at line 2)`],
  },
  {
    name: "azure2019: a function without durations",
    files: azure2019(`${INVOCATIONS_HEADER}\n${INVOCATION}\no1,a1,g,http,1,1,1\n`),
    expect: ["invocations.csv:3: ", 'function "g"', "expected a row with its HashOwner"],
  },
  {
    name: "azure2019: a duration percentile of 2e12 ms",
    files: azure2019(`${INVOCATIONS_HEADER}\n${INVOCATION}\n`, DURATIONS.replace(/,100$/, ",2e12")),
    expect: [
      "durations.csv:2:14: ",
      '"2e12" in column 14 (percentile_Average_100) is too large',
      "expected milliseconds from 0 to 1000000000000",
    ],
  },
  {
    name: "azure2019: duration percentiles that decrease",
    files: azure2019(
      `${INVOCATIONS_HEADER}\n${INVOCATION}\n`,
      DURATIONS.replace(/100,100,100,100$/, "100,90,100,100"),
    ),
    expect: [
      "durations.csv:2:12: ",
      '"90" in column 12 (percentile_Average_75) is below "100" in column 11',
      "expected milliseconds that do not decrease",
    ],
  },
  {
    name: "azure2019: an empty HashFunction",
    files: azure2019(`${INVOCATIONS_HEADER}\no1,a1,,http,2,0,1\n`),
    expect: [
      "invocations.csv:2:3: ",
      '"" in column 3 (HashFunction)',
      "expected the function's hash (not empty)",
    ],
  },
  {
    name: "azure2019: an empty HashOwner in the durations",
    files: azure2019(`${INVOCATIONS_HEADER}\n${INVOCATION}\n`, DURATIONS.replace("\no1,", "\n,")),
    expect: ["durations.csv:2:1: ", '"" in column 1 (HashOwner)', "expected the owner's hash"],
  },
  {
    name: "azure2019: a function twice in the durations",
    files: azure2019(
      `${INVOCATIONS_HEADER}\n${INVOCATION}\n`,
      `${DURATIONS}\n${DURATIONS.split("\n")[1]}`,
    ),
    expect: [
      "durations.csv:3: ",
      `"${FN.slice(0, 12)}" appears again (first at line 2)`,
      "expected one row per function",
    ],
  },
  {
    name: "azure2019 memory: an empty file",
    files: azure2019Memory(""),
    expect: ["memory.csv:1: ", "empty file", "expected a header line naming HashOwner,HashApp"],
  },
  {
    name: "azure2019 memory: a header and no rows",
    files: azure2019Memory(`${MEMORY_HEADER}\n`),
    expect: ["memory.csv:2: ", "no rows after the header", "expected at least one app row"],
  },
  {
    name: "azure2019 memory: a missing column",
    files: azure2019Memory("HashOwner,HashApp,SampleCount\no1,a1,10\n"),
    expect: ["memory.csv:1: ", 'missing column "AverageAllocatedMb"', "the header must name"],
  },
  {
    name: "azure2019 memory: a word for the memory",
    files: azure2019Memory(`${MEMORY_HEADER}\no1,a1,10,lots\n`),
    expect: ["memory.csv:2:4: ", '"lots" in column 4 (AverageAllocatedMb)', "expected a number"],
  },
  {
    name: "azure2019 memory: a negative memory",
    files: azure2019Memory(`${MEMORY_HEADER}\no1,a1,10,-512\n`),
    expect: ["memory.csv:2:4: ", '"-512" in column 4', "expected a number >= 0"],
  },
  {
    name: "azure2019 memory: 1e400 MB (infinity)",
    files: azure2019Memory(`${MEMORY_HEADER}\no1,a1,10,1e400\n`),
    expect: ["memory.csv:2:4: ", '"1e400" in column 4', "expected megabytes from 0 to 10000000"],
  },
  {
    name: "azure2019 memory: 9e300 MB",
    files: azure2019Memory(`${MEMORY_HEADER}\no1,a1,10,9e300\n`),
    expect: ["memory.csv:2:4: ", '"9e300" in column 4', "is too large", "from 0 to 10000000"],
  },
  {
    name: "azure2019 memory: an empty HashApp",
    files: azure2019Memory(`${MEMORY_HEADER}\no1,,10,512\n`),
    expect: ["memory.csv:2:2: ", '"" in column 2 (HashApp)', "expected the app's hash"],
  },
  {
    name: "azure2019 memory: a row with too few fields",
    files: azure2019Memory(`${MEMORY_HEADER}\no1,a1,10\n`),
    expect: ["memory.csv:2:4: ", "the row has 3 fields", "expected 4 fields"],
  },
  {
    name: "azure2019 memory: random bytes",
    files: azure2019Memory(garbage(512)),
    expect: ["memory.csv:1:", "byte 0x", ...NOT_TEXT],
  },
  {
    name: "azure2019: a function hash that makes a reserved name",
    files: azure2019(
      `${INVOCATIONS_HEADER}\no1,a1,toString,,2,0,1\n`,
      DURATIONS.replace(FN, "toString"),
    ),
    expect: [
      "invocations.csv:2:3: ",
      '"toString" in column 3 (HashFunction) cannot name an environment',
      "expected another name",
    ],
  },
  {
    name: "azure2019: an alias to a reserved name",
    files: {
      ...azure2019(`${INVOCATIONS_HEADER}\n${INVOCATION}\n`),
      "scenario.yaml": `${replay("day", "azure2019")}    mapping: {aliases: {ffff: constructor}}\n`,
    },
    expect: [
      "scenario.yaml:5:31: ",
      "workloads[0].mapping.aliases.ffff",
      '"constructor" cannot name an environment',
      "expected another name",
    ],
  },
  {
    name: "azure2019: random bytes",
    files: azure2019(garbage(512)),
    expect: ["invocations.csv:1:", "byte 0x", ...NOT_TEXT],
  },
  {
    name: "azure2019: random bytes for durations",
    files: azure2019(`${INVOCATIONS_HEADER}\n${INVOCATION}\n`, garbage(512)),
    expect: ["durations.csv:1:", "byte 0x", ...NOT_TEXT],
  },
  {
    name: "azure2019: a row of 10,000 fields",
    files: azure2019(`${INVOCATIONS_HEADER}\n${INVOCATION},${wide(9_993, () => "1")}\n`),
    expect: ["invocations.csv:2:8: ", "the row has 10000 fields", "expected 7 fields"],
  },
  {
    name: "azure2019: no durations file",
    files: { "scenario.yaml": replay("day", "azure2019"), "day/invocations.csv": INVOCATION },
    expect: ['no durations file "', "day/durations.csv", "or name it with the workload's"],
  },
  {
    name: "azure2019: a folder for the durations file",
    files: {
      "scenario.yaml": replay("day", "azure2019"),
      "day/invocations.csv": `${INVOCATIONS_HEADER}\n${INVOCATION}\n`,
      "day/durations.csv/": "",
    },
    expect: ["day/durations.csv", "is not a regular file", "expected the azure2019 durations"],
  },
];

const CATALOGUE: BadInput[] = [
  ...SCENARIO_ENTRIES,
  ...TASKS_CSV_ENTRIES,
  ...TASKS_JSONL_ENTRIES,
  ...AZURE2021_ENTRIES,
  ...AZURE2019_ENTRIES,
];

describe("reuse-sim run: the catalogue of bad input", function () {
  this.timeout(30_000);
  let root: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), "reuse-sim-bad-input-"));
  });

  after(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("the catalogue's names are unique", () => {
    const names = CATALOGUE.map((entry) => entry.name);
    expect(new Set(names).size).to.equal(names.length);
  });

  it("bin/reuse-sim.js, run as its own process, gives every tenth entry's one line and exit code 2", () => {
    // The entries above call the CLI in this process; this goes through the real executable, so
    // nothing between it and main() (an import, an unhandled rejection) can print a stack trace.
    const sample = CATALOGUE.filter((_, index) => index % 10 === 0);
    expect(sample.length).to.be.above(5);
    sample.forEach((entry, index) => {
      const folder = join(root, `bin-${index}`);
      mkdirSync(folder);
      writeFiles(folder, entry.files);
      const args = (entry.args ?? []).map((arg) => arg.replace("{dir}", folder));
      const scenario = join(folder, entry.scenario ?? "scenario.yaml");
      const bin = join(REPO_ROOT, "bin", "reuse-sim.js");
      const child = spawnSync(
        process.execPath,
        [bin, "run", scenario, "--out", join(folder, "out"), "--quiet", ...args],
        { encoding: "utf8" },
      );
      expect(child.status, `${entry.name}: ${child.stderr}`).to.equal(2);
      expect(child.stderr, entry.name).to.match(/^reuse-sim: error: [^\n]+\n$/);
      for (const fragment of entry.expect) expect(child.stderr, entry.name).to.include(fragment);
      expect(child.stdout, entry.name).to.equal("");
    });
  });

  CATALOGUE.forEach((entry, index) => {
    it(`reuse-sim run <${entry.name}> exits 2 with one line naming where, what and what was expected`, async () => {
      const folder = join(root, String(index));
      mkdirSync(folder);
      writeFiles(folder, entry.files);
      const args = (entry.args ?? []).map((arg) => arg.replace("{dir}", folder));

      const scenario = join(folder, entry.scenario ?? "scenario.yaml");
      const out = join(folder, "out");
      const result = await cli("run", scenario, "--out", out, "--quiet", ...args);

      expect(result.code, result.stderr).to.equal(2);
      expect(result.stderr).to.match(/^reuse-sim: error: [^\n]+\n$/);
      for (const fragment of entry.expect)
        expect(result.stderr, result.stderr).to.include(fragment);
      expect(result.stderr).not.to.include("    at ");
      expect(result.stdout).to.equal("");
      const leftBehind = readdirSync(folder).filter(
        (name) => name === "out" || name.startsWith(".out."),
      );
      expect(leftBehind).to.deep.equal([]);
    });
  });
});

function writeFiles(folder: string, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    const path = join(folder, name);
    if (name.endsWith("/")) {
      mkdirSync(path, { recursive: true });
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

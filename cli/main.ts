import { resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { isUserError, quote, UserError } from "../sim/errors.js";
import { messages } from "../sim/scenario-messages.js";
import { MAX_LOAD } from "../sim/scenario-schema.js";
import type { Logger } from "../sim/logger.js";
import { fileMessages } from "./file-messages.js";
import { lintCommand } from "./lint.js";
import { reportCommand } from "./report.js";
import { runCommand } from "./run.js";
import { TRACE_FORMATS, traceStatsCommand } from "./trace.js";
import { WriteWatch } from "./write-watch.js";

/**
 * Exit codes: 0 success, 1 a check found problems, 2 a user error (bad input, bad flag) or the
 * environment's (a full disk, no permission, a closed pipe).
 */
export const EXIT_USER_ERROR = 2;

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Run the CLI on `argv` (as process.argv) and resolve to the exit code; never calls exit. */
export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const stdout = new WriteWatch(io.stdout);
  // A failed write to standard error has nowhere to be reported: it is only kept from crashing.
  const stderr = new WriteWatch(io.stderr);
  try {
    const exitCode = await runProgram(argv, io);
    await stdout.settle();
    if (stdout.error === null) return exitCode;
    // A reader that closed the pipe (| head) has what it wanted: no message, as cat or grep.
    if (stdout.error.code !== "EPIPE") printError(io, fileMessages.cannotWriteStdout(stdout.error));
    return EXIT_USER_ERROR;
  } finally {
    await stderr.settle();
    stdout.stop();
    stderr.stop();
  }
}

async function runProgram(argv: readonly string[], io: CliIo): Promise<number> {
  const logger: Logger = { warn: (message) => io.stderr.write(`reuse-sim: warning: ${message}\n`) };
  // A command that passes or fails a check (lint) sets the exit code here.
  const outcome = { exitCode: 0 };
  const program = buildProgram(io, logger, outcome);
  try {
    await program.parseAsync([...argv]);
    return outcome.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_USER_ERROR;
    }
    if (isUserError(error)) {
      printError(io, error.message);
      return EXIT_USER_ERROR;
    }
    throw error;
  }
}

function printError(io: CliIo, message: string): void {
  io.stderr.write(`reuse-sim: error: ${oneLine(message)}\n`);
}

function buildProgram(io: CliIo, logger: Logger, outcome: { exitCode: number }): Command {
  const program = new Command("reuse-sim")
    .description(
      "Simulate reusable container pools (Flyte 2 ReusePolicy) on recorded or synthetic workloads.",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Commander's "error: ..." on the same one line as every other user error.
      outputError: (text, write) =>
        write(`reuse-sim: ${oneLine(text)} (run with --help for usage)\n`),
    });

  program
    .command("run")
    .description(
      "simulate a scenario and print its summary; --out writes summary.json, scenario.json, tasks.csv and timeline.csv, and --report adds report.html, report.md and charts/",
    )
    .argument("<scenario>", "scenario file (.yaml, .yml or .json)")
    .addOption(new Option("--seed <n>", "override the scenario's seed").argParser(parseSeed))
    .option(
      "--out <dir>",
      "write the run's files into this folder (created; must be empty or an earlier run's)",
    )
    .option("--force", "replace an earlier run's output folder")
    .option("--no-tasks", "with --out, skip tasks.csv (one row per task: large for long traces)")
    .option(
      "--report",
      "with --out, also write report.html, report.md and charts/ (SVG, PNG, Vega-Lite)",
    )
    .option(
      "--var <name=value...>",
      "set ${name} in the scenario's trace paths",
      collectVariables,
      {},
    )
    .option(
      "--trace <path>",
      "shorthand for --var TRACE=<path> (the trace of a replay scenario)",
      parseTracePath,
    )
    .option("--skip-bad-rows", "skip a trace's bad rows with a warning instead of stopping")
    .addOption(
      new Option(
        "--top <n>",
        "replay only the N busiest functions (environments) of every trace workload",
      ).argParser(parseCount),
    )
    .option("-q, --quiet", "print nothing but warnings and errors")
    .exitOverride()
    .action(async (scenario: string, options) => {
      await runCommand(
        scenario,
        {
          seed: options.seed,
          out: options.out,
          force: options.force,
          quiet: options.quiet,
          tasks: options.tasks,
          report: options.report,
          variables: withTrace(options.var, options.trace),
          requiredVariables: requiredVariables(options.var, options.trace),
          skipBadRows: options.skipBadRows,
          top: options.top,
        },
        { stdout: io.stdout, stderr: io.stderr, logger },
      );
    });

  addTraceCommands(program, io, logger);

  program
    .command("lint")
    .description(
      "check a scenario's policies before a run: the Flyte SDK's checks, what it silently " +
        "accepts, scale-down that never acts, a pointless min, starvation risk (exit 1 on errors)",
    )
    .argument("<scenario>", "scenario file (.yaml, .yml or .json)")
    .option("--json", "print the findings as JSON (for CI)")
    .option(
      "--var <name=value...>",
      "set ${name} in the scenario's trace paths",
      collectVariables,
      {},
    )
    .option("--trace <path>", "shorthand for --var TRACE=<path>", parseTracePath)
    .exitOverride()
    .action(async (scenario: string, options) => {
      outcome.exitCode = await lintCommand(
        scenario,
        {
          json: options.json,
          variables: withTrace(options.var, options.trace),
          requiredVariables: requiredVariables(options.var, options.trace),
        },
        { stdout: io.stdout, logger },
      );
    });

  program
    .command("report")
    .description(
      "draw the charts and report of a saved run again, without simulating: reads summary.json, scenario.json, timeline.csv and tasks.csv, writes report.html, report.md and charts/",
    )
    .argument("<dir>", "the folder of a run (reuse-sim run SCENARIO --out DIR)")
    .option("-q, --quiet", "print nothing but warnings and errors")
    .exitOverride()
    .action(async (dir: string, options) => {
      await reportCommand(dir, { quiet: options.quiet }, { stdout: io.stdout, logger });
    });

  return program;
}

/** `reuse-sim trace stats`: what a trace holds, before choosing a policy for it. */
function addTraceCommands(program: Command, io: CliIo, logger: Logger): void {
  const trace = program.command("trace").description("look at a trace before replaying it");
  trace
    .command("stats")
    .description(
      "count, span, per-minute rates, inter-arrival CV and duration percentiles of a trace, " +
        "in total and per environment, read as a scenario would replay it",
    )
    .argument("<file>", "the trace (azure2019: invocations.csv or its folder)")
    .requiredOption("--format <format>", `${TRACE_FORMATS.join(", ")}`)
    .option("--by <mapping>", "environments per function (default), app, or all")
    .option("--env <name>", "tasks: env of rows without one; --by all: the one name")
    .addOption(new Option("--top <n>", "keep the N busiest functions").argParser(parseCount))
    .option("--from <duration>", "start of the window (it becomes time 0)")
    .option("--to <duration>", "end of the window")
    .addOption(new Option("--load <factor>", "arrival-rate factor").argParser(parseFactor))
    .option("--spread <rule>", "azure2019: uniform (default), poisson or even")
    .option("--durations <file>", "azure2019: the durations file (default: beside)")
    .option("--memory <file>", "azure2019: the memory file (default: beside, if any)")
    .option("--memory-stat <stat>", "azure2019: average (default), p1 ... p100")
    .addOption(
      new Option("--seed <n>", "seed of the spread, durations and load").argParser(parseSeed),
    )
    .option("--skip-bad-rows", "skip bad rows with a warning instead of stopping")
    .option("--json", "print the statistics as JSON")
    .exitOverride()
    .action(async (file: string, options) => {
      await traceStatsCommand(
        file,
        { ...options, seed: options.seed ?? 1 },
        { stdout: io.stdout, logger },
      );
    });
}

/** --trace PATH is --var TRACE=PATH, with PATH made absolute; giving both is a mistake. */
function withTrace(
  variables: Record<string, string>,
  trace: string | undefined,
): Record<string, string> {
  if (trace === undefined) return variables;
  if (Object.hasOwn(variables, "TRACE")) {
    throw new UserError(
      "BAD_OPTION",
      `--trace ${quote(trace)} and --var TRACE=${quote(variables.TRACE)} both set the trace; expected one of them`,
    );
  }
  // A path typed on the command line means the current folder, not the scenario's.
  return { ...variables, TRACE: resolve(trace) };
}

/**
 * Every variable given on the command line names something to replay: a scenario that uses none
 * of them in a trace path would silently ignore it.
 */
function requiredVariables(variables: Record<string, string>, trace: string | undefined): string[] {
  return [...Object.keys(variables), ...(trace === undefined ? [] : ["TRACE"])];
}

/** A message as one line, whatever a library put into it: a user error is always one line. */
function oneLine(message: string): string {
  return message.trim().replace(/\s*[\r\n]+\s*/g, " ");
}

function parseCount(value: string): number {
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || !Number.isSafeInteger(count)) {
    throw new InvalidArgumentError(`expected a whole number >= 1, got "${value}"`);
  }
  return count;
}

function parseFactor(value: string): number {
  const factor = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || !(factor > 0) || factor > MAX_LOAD) {
    throw new InvalidArgumentError(`expected a number > 0 and at most ${MAX_LOAD}, got "${value}"`);
  }
  return factor;
}

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(seed)) {
    throw new InvalidArgumentError(
      `expected a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got "${value}"`,
    );
  }
  return seed;
}

function collectVariables(value: string, previous: Record<string, string>): Record<string, string> {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(value);
  if (match === null) throw new InvalidArgumentError(`expected name=value, got "${value}"`);
  // An empty path would be read as the current folder.
  if (match[2] === "") throw new UserError("BAD_OPTION", messages.emptyOption(`--var ${match[1]}`));
  return { ...previous, [match[1]]: match[2] };
}

function parseTracePath(value: string): string {
  if (value === "") throw new UserError("BAD_OPTION", messages.emptyOption("--trace"));
  return value;
}

import {
  checkReplicaCounts,
  checkLifecycle,
  checkReplicaLives,
  checkScaledown,
} from "./replica-checks.js";
import { checkDeclaration } from "./declaration-checks.js";
import { checkNesting, checkStall } from "./nesting-checks.js";
import { fail, type Observed, observe, replicaLives, writeCaseTrace } from "./observe.js";
import type { CaseSpec } from "./scenario-arbitrary.js";
import { checkSummary, checkTimeline } from "./summary-checks.js";
import {
  checkFifo,
  checkLowestIdFirst,
  checkSlots,
  checkTasks,
  checkWorkConservation,
} from "./task-checks.js";

/**
 * What must hold after any run of any valid scenario (MODEL.md §1-4 and §6). Each check throws
 * an Error that names the environment, the task or replica and the instant, so that a shrunk
 * counterexample reads as a bug report.
 *
 * - declaration-checks.ts: the case is a scenario a user could write, and sync tasks on an
 *   environment with concurrency above 1 are rejected;
 * - task-checks.ts: placement, overheads, slots, work conservation, lowest id first, FIFO;
 * - replica-checks.ts: cold starts, replica counts in [min, max] while up and 0 while down,
 *   scale-down, creation and teardown;
 * - nesting-checks.ts: children, waves and tails; failures at deadlines, cancellations under a
 *   failed ancestor, unfinished tasks and starvation at a stall;
 * - summary-checks.ts: the summary and the timeline against the tasks and replicas, outcomes
 *   counted from each task's own state, the run's end and stalledAt;
 * - and here: the same seed gives the same run.
 */

/** Run the case twice and check every invariant; throws on the first one broken. */
export async function checkCase(spec: CaseSpec): Promise<void> {
  const tracePath = writeCaseTrace(spec);
  checkDeclaration(spec, tracePath);
  const first = await observe(spec, tracePath);
  const second = await observe(spec, tracePath);
  checkDeterminism(first, second);
  checkRun(spec, first);
}

export function checkRun(spec: CaseSpec, observed: Observed): void {
  const lives = replicaLives(observed);
  checkTasks(spec, observed);
  checkReplicaLives(spec, observed, lives);
  checkSlots(spec, observed);
  for (const e of spec.environments) {
    if (e.policy === "none") continue;
    checkReplicaCounts(e.name, e.policy, observed);
    checkWorkConservation(e.name, e.policy.concurrency, observed, lives);
    checkLowestIdFirst(e.name, e.policy.concurrency, observed, lives);
    checkFifo(e.name, observed);
    checkScaledown(e.name, e.policy, spec.controlPeriodSeconds, observed, lives);
    checkLifecycle(e.name, e.policy, spec.controlPeriodSeconds, observed, lives);
  }
  checkNesting(spec, observed);
  checkStall(spec, observed);
  checkSummary(spec, observed, lives);
  checkTimeline(spec, observed);
}

// ---------------------------------------------------------------------------------------------

function taskRows(observed: Observed): unknown[] {
  return observed.tasks.map((t) => [
    t.id,
    t.env.name,
    t.arrivalAt,
    t.placedAt,
    t.startAt,
    t.endAt,
    t.kind,
    t.replica?.id ?? null,
    t.state,
    t.parent?.id ?? null,
  ]);
}

function replicaRows(observed: Observed): unknown[] {
  return observed.replicaEvents.map((e) => [e.kind, e.env, e.replica.id, e.at, e.reason ?? ""]);
}

/** Same seed, same scenario: the same summary, task rows, timeline and replica history. */
export function checkDeterminism(first: Observed, second: Observed): void {
  const pairs: [string, unknown, unknown][] = [
    ["summary", first.summary, second.summary],
    ["task rows", taskRows(first), taskRows(second)],
    ["timeline", first.timeline, second.timeline],
    ["replica events", replicaRows(first), replicaRows(second)],
    ["environment events", first.environmentEvents, second.environmentEvents],
  ];
  for (const [what, a, b] of pairs) {
    if (JSON.stringify(a) !== JSON.stringify(b))
      fail(`two runs of one seed differ in their ${what}`);
  }
}

import { formatDuration } from "../sim/duration.js";
import type { EnvironmentDescription, ScenarioDescription } from "../sim/scenario-description.js";
import type { StarvationReport, Summary } from "../sim/summary.js";
import { environmentLabel } from "./labels.js";

/** Events listed per environment; summary.json keeps every one. */
export const MAX_EVENTS_LISTED = 10;

/** Task ids listed per cell of the table; the rest are counted. */
const MAX_IDS_LISTED = 5;

/** The report's "Starvation and stalls" section, as text both pages lay out. */
export interface StarvationSection {
  /** What happened in the run, why, and what to do about it. */
  paragraphs: string[];
  environments: StarvedEnvironment[];
}

export interface StarvedEnvironment {
  /** The environment's chart label: its name and short policy. */
  label: string;
  /** Its events and tasks in one sentence. */
  text: string;
  heads: string[];
  rows: string[][];
  /** "and 3 more events ..." when the table is cut short; else null. */
  more: string | null;
}

const HEADS = ["time", "slots, all held", "parents holding them", "children queued behind them"];

/** Each environment's starvation events from summary.json, and the run's stall if it had one. */
export function starvationSection(
  scenario: ScenarioDescription,
  summary: Summary,
): StarvationSection {
  const starved = scenario.environments.filter(
    (env) => summary.environments[env.name].starvation.length > 0,
  );
  const paragraphs: string[] = [];
  if (starved.length === 0 && summary.stalledAt === null) {
    paragraphs.push("No environment starved, and the run did not stall.");
  }
  if (starved.length > 0) paragraphs.push(REASON, REMEDIES);
  if (summary.stalledAt !== null) paragraphs.push(stallText(summary.stalledAt, summary));
  return {
    paragraphs,
    environments: starved.map((env) => starvedEnvironment(env, summary)),
  };
}

const REASON =
  "Starvation: every slot the environment can ever have (max replicas × concurrency) was held by parent tasks waiting for their children, and those children were queued in the same environment, behind their parents. Scale-up cannot add a slot past max, so nothing there moves until a timeout fails the parents and cancels their children; without a timeout the tasks never finish.";

const REMEDIES =
  "Remedies: more replicas (a higher max, so children find a slot of their own); higher concurrency, for async tasks, so a replica runs parents and children side by side; or the parent in another environment (policy: none, or a pool of its own), so it never holds a slot its children need.";

function stallText(stalledAt: number, summary: Summary): string {
  const unfinished = Object.entries(summary.environments)
    .filter(([, measures]) => measures.tasks.unfinished > 0)
    .map(([name, measures]) => `${name} ${measures.tasks.unfinished}`);
  const counts = unfinished.length === 0 ? "" : ` (${unfinished.join(", ")})`;
  return `The run stalled at ${timeText(stalledAt)}: tasks were still in flight that could never finish, with nothing but control ticks left to happen, so the run ended there. Those tasks are reported as unfinished${counts}; the ones that never started have no wait in the wait percentiles.`;
}

function starvedEnvironment(env: EnvironmentDescription, summary: Summary): StarvedEnvironment {
  const measures = summary.environments[env.name];
  const events = measures.starvation;
  const { arrived, completed, failed, cancelled, unfinished } = measures.tasks;
  const more = events.length - MAX_EVENTS_LISTED;
  return {
    label: environmentLabel(env),
    text: `${count(events.length, "starvation event")}. Its tasks: ${arrived} arrived, ${completed} completed, ${failed} failed (${cancelled} of them cancelled with their parent), ${unfinished} unfinished.`,
    heads: HEADS,
    rows: events.slice(0, MAX_EVENTS_LISTED).map(eventRow),
    more: more > 0 ? `and ${count(more, "more event")}; summary.json lists every one.` : null,
  };
}

function eventRow(event: StarvationReport): string[] {
  return [timeText(event.at), String(event.slots), idList(event.parents), idList(event.children)];
}

/** "9m13s (552.791 s)": readable, and exact enough to find in tasks.csv. */
function timeText(seconds: number): string {
  return `${formatDuration(Math.round(seconds))} (${seconds.toFixed(3)} s)`;
}

function idList(ids: readonly string[]): string {
  const shown = ids.slice(0, MAX_IDS_LISTED).join(", ");
  const rest = ids.length - MAX_IDS_LISTED;
  return rest > 0 ? `${shown} and ${rest} more` : shown;
}

/** "1 starvation event", "13 starvation events". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

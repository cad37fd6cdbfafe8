import type { InlineChild, InlineTask } from "../../../sim/scenario.js";
import { type Task, TaskState } from "../../../sim/task.js";
import {
  boundsOf,
  fail,
  isPlaced,
  isUnfinished,
  leftAt,
  type Observed,
  seconds,
  stateOf,
} from "./observe.js";
import type { CaseSpec } from "./scenario-arbitrary.js";

// Parents, children, timeouts and stalls (MODEL.md §3): each task's children and outcome against
// what its workload declared.

/** What a task's workload declares for it; children by wave, in launch order. */
interface Shape {
  /** 0: none. Children inherit their root's timeout, counted from their own arrival. */
  timeoutMicros: number;
  /** Children per wave; empty for a task without a fanout. */
  waves: number[];
  tailMicros: number;
  /** Ids and environments of the children, in launch order. */
  children: { id: string; env: string }[];
  /** The task's own work, when the workload gives it exactly (inline and trace tasks). */
  workMicros: number | null;
}

const micros = (secondsValue: number): number => Math.round(secondsValue * 1e6);

/** The shape of a task, found from its id: `w0-` inline, `wN-` synthetic N, `t` the trace. */
function shapeOf(spec: CaseSpec, task: Task): Shape {
  const id = task.id;
  if (id.startsWith("t")) return traceShape(spec, id);
  const match = /^w(\d+)-(\d+)((?:\.\d+)*)$/.exec(id);
  if (match === null) fail(`task ${id} has an id no workload gives`);
  const workload = Number(match[1]);
  const path = match[3] === "" ? [] : match[3].slice(1).split(".").map(Number);
  if (workload === 0) return inlineShape(spec.tasks[Number(match[2]) - 1], path, id, task.env.name);

  const s = spec.synthetic[workload - 1];
  if (s === undefined) fail(`task ${id} names workload ${workload}, which the case lacks`);
  const timeoutMicros = micros(s.timeoutSeconds);
  const fanout = s.fanout;
  if (fanout === undefined || path.length >= fanout.depth) {
    return { timeoutMicros, waves: [], tailMicros: 0, children: [], workMicros: null };
  }
  const total = fanout.count * fanout.waves;
  const env = fanout.env ?? s.env;
  return {
    timeoutMicros,
    waves: Array.from({ length: fanout.waves }, () => fanout.count),
    tailMicros: micros(fanout.tailSeconds),
    children: Array.from({ length: total }, (_, k) => ({ id: `${id}.${k + 1}`, env })),
    workMicros: null,
  };
}

function inlineShape(root: InlineTask, path: number[], id: string, env: string): Shape {
  let node: InlineTask | InlineChild = root;
  for (const k of path) node = (node.children ?? [])[k - 1];
  if (node === undefined) fail(`task ${id} is no task of the inline workload`);
  const children = node.children;
  return {
    timeoutMicros: micros(root.timeout ?? 0),
    waves: children === undefined ? [] : [children.length],
    tailMicros: children === undefined ? 0 : micros(node.tail ?? 0),
    children: (children ?? []).map((child, k) => ({ id: `${id}.${k + 1}`, env: child.env ?? env })),
    workMicros: micros(node.duration),
  };
}

function traceShape(spec: CaseSpec, id: string): Shape {
  const row = spec.trace.find((r) => r.id === id);
  if (row === undefined) fail(`task ${id} is no row of the trace`);
  const children = spec.trace.filter((r) => r.parent === id);
  return {
    timeoutMicros: 0,
    waves: children.length === 0 ? [] : [children.length],
    tailMicros: 0,
    children: children.map((child) => ({ id: child.id, env: child.env })),
    workMicros: micros(row.duration),
  };
}

/**
 * Every task's outcome and children agree with its workload:
 * - a failed task failed at its deadline (arrival + timeout), a completed one ended by it, an
 *   unfinished one had no timeout and was waiting or waiting for children;
 * - a cancelled task has a failed ancestor that failed at that instant, with only cancelled tasks
 *   between them; a failed or cancelled task leaves no descendant behind;
 * - a parent launches its children in waves: the first when its own work ends, each next one when
 *   the last child of the one before has ended; it completes when its tail after the last child
 *   has run, with every child launched, in the environment the workload names.
 */
export function checkNesting(spec: CaseSpec, observed: Observed): void {
  const childrenOf = new Map<Task, Task[]>();
  for (const task of observed.tasks) {
    if (task.parent === null) continue;
    const list = childrenOf.get(task.parent) ?? [];
    list.push(task);
    childrenOf.set(task.parent, list);
  }

  for (const task of observed.tasks) {
    const shape = shapeOf(spec, task);
    const children = childrenOf.get(task) ?? [];
    const name = `task ${task.id} (${task.env.name}, arrived ${seconds(task.arrivalAt)} s)`;
    if (shape.workMicros !== null && task.workMicros !== shape.workMicros) {
      fail(
        `${name} has ${seconds(task.workMicros)} s of work; its workload gives ${seconds(shape.workMicros)} s`,
      );
    }
    if ((task.fanout === null) !== (shape.waves.length === 0)) {
      fail(
        `${name}: has a fanout ${task.fanout !== null}; its workload says ${shape.waves.length > 0}`,
      );
    }
    checkOutcome(task, shape, name);
    checkChildren(task, shape, children, name);
  }
}

function checkOutcome(task: Task, shape: Shape, name: string): void {
  const deadline = shape.timeoutMicros > 0 ? task.arrivalAt + shape.timeoutMicros : Infinity;
  switch (task.state) {
    case TaskState.completed:
      if (task.endAt > deadline) {
        fail(`${name} completed at ${seconds(task.endAt)} s, past its deadline`);
      }
      break;
    case TaskState.failed:
      if (task.endAt !== deadline) {
        fail(`${name} failed at ${seconds(task.endAt)} s; its deadline was ${seconds(deadline)} s`);
      }
      break;
    case TaskState.cancelled: {
      let ancestor = task.parent;
      while (ancestor !== null && ancestor.state === TaskState.cancelled) {
        if (ancestor.endAt !== task.endAt) fail(`${name} was cancelled apart from its ancestors`);
        ancestor = ancestor.parent;
      }
      if (ancestor === null || ancestor.state !== TaskState.failed) {
        fail(`${name} was cancelled, but no ancestor of it failed`);
      }
      if (ancestor.endAt !== task.endAt) {
        fail(
          `${name} was cancelled at ${seconds(task.endAt)} s; ${ancestor.id} failed at ${seconds(ancestor.endAt)} s`,
        );
      }
      break;
    }
    default:
      if (shape.timeoutMicros > 0) fail(`${name} is unfinished despite its timeout`);
      if (task.state !== TaskState.waiting && task.state !== TaskState.awaitingChildren) {
        fail(`${name} is unfinished in state ${stateOf(task)}, which always ends`);
      }
  }
}

/** `reported`: the task's children among the reported tasks, in the order they ended. */
function checkChildren(task: Task, shape: Shape, reported: Task[], name: string): void {
  const children = task.children; // in launch order
  if (children.length !== reported.length || !reported.every((c) => children.includes(c))) {
    fail(`${name}: its launched children and the reported ones differ`);
  }
  if (children.length > shape.children.length) fail(`${name} launched too many children`);
  children.forEach((child, i) => {
    const expected = shape.children[i];
    if (child.id !== expected.id || child.env.name !== expected.env) {
      fail(
        `${name}: child ${i + 1} is ${child.id} in ${child.env.name}; expected ${expected.id} in ${expected.env}`,
      );
    }
    if (task.endAt >= 0 && leftAt(child) > task.endAt) {
      fail(`${name} ended at ${seconds(task.endAt)} s, before its child ${child.id}`);
    }
  });
  if (task.state === TaskState.awaitingChildren && !children.some(isUnfinished)) {
    fail(`${name} is left waiting for children that have all ended`);
  }
  if (task.state === TaskState.failed || task.state === TaskState.cancelled) return;
  if (shape.waves.length === 0) return;

  // Waves: the first at the end of the parent's own work, each next at the last end before it.
  const setupEnd = task.startAt + task.workMicros;
  let launchAt = setupEnd;
  let index = 0;
  for (const size of shape.waves) {
    const wave = children.slice(index, index + size);
    if (wave.length === 0) break;
    for (const child of wave) {
      if (child.arrivalAt !== launchAt) {
        fail(
          `${name}: child ${child.id} arrived at ${seconds(child.arrivalAt)} s; its wave was due at ${seconds(launchAt)} s`,
        );
      }
    }
    if (wave.some(isUnfinished)) break;
    launchAt = Math.max(launchAt, ...wave.map((child) => child.endAt));
    index += size;
  }
  if (task.state !== TaskState.completed) return;
  if (children.length !== shape.children.length) {
    fail(
      `${name} completed after launching ${children.length} of its ${shape.children.length} children`,
    );
  }
  if (task.endAt !== launchAt + shape.tailMicros) {
    fail(
      `${name} completed at ${seconds(task.endAt)} s; its last child ended at ${seconds(launchAt)} s and its tail is ${seconds(shape.tailMicros)} s`,
    );
  }
}

/**
 * At the end of a stalled run (MODEL.md §3): a reusable environment with tasks stuck waiting has
 * scaled up to max and every slot is held by a stuck task; and when those are all parents whose
 * unfinished children are stuck there too, the starvation was reported, naming those parents.
 */
export function checkStall(spec: CaseSpec, observed: Observed): void {
  if (observed.summary.stalledAt === null) return;
  const lifecycle = observed.lifecycle;
  for (const e of spec.environments) {
    if (e.policy === "none") continue;
    const [, max] = boundsOf(e.policy);
    const stuck = observed.tasks.filter((t) => t.env.name === e.name && isUnfinished(t));
    const waiting = stuck.filter((t) => !isPlaced(t));
    if (waiting.length === 0) continue;

    let count = 0;
    for (const event of lifecycle) {
      if (event.env !== e.name) continue;
      if (event.kind === "requested") count++;
      if (event.kind === "removed") count--;
    }
    const where = `${e.name} at the end of the stalled run`;
    if (count !== max) {
      fail(`${where}: ${waiting.length} tasks wait with ${count} of max ${max} replicas`);
    }
    const holders = stuck.filter(isPlaced);
    const slots = max * e.policy.concurrency;
    if (holders.length !== slots) fail(`${where}: ${holders.length} of ${slots} slots held`);

    const isStuckHere = (child: Task): boolean =>
      !isUnfinished(child) ||
      (child.env.name === e.name && (!isPlaced(child) || holders.includes(child)));
    const isStarved = holders.every(
      (parent) => parent.state === TaskState.awaitingChildren && parent.children.every(isStuckHere),
    );
    if (!isStarved) continue;
    const ids = holders.map((t) => t.id).sort();
    const reported = observed.summary.environments[e.name].starvation.some(
      (event) => JSON.stringify([...event.parents].sort()) === JSON.stringify(ids),
    );
    if (!reported) fail(`${where}: starved by ${ids.join(", ")}, which was not reported`);
  }
}

import type { ChildSpec, Fanout } from "../sim/task.js";
import type { BadRows } from "./bad-rows.js";
import { FixedFanout } from "./fanout.js";
import type { ArrivalSource, TaskArrival } from "./source.js";
import { type Column, traceMessages } from "./trace-messages.js";

/** Rows a trace with parents may hold: it is read whole to link children to parents. */
const TREE_ROW_LIMIT = 5_000_000;

/** A source of `tasks` rows that can say whether its rows may name parents. */
export interface ParentAwareSource extends ArrivalSource {
  readonly hasParents: boolean;
  /** Whether its fields are JSON keys (a column is then a character column), not CSV columns. */
  readonly isKeyed: boolean;
}

interface Node {
  arrival: TaskArrival;
  children: Node[];
  /** A bad row skipped (skipBadRows): left out of the tree. */
  isSkipped: boolean;
}

/**
 * The `tasks` format's parent column. A trace without one streams through untouched. With one,
 * the trace is read whole (a child may come anywhere in the file), checked (unique ids, every
 * parent present, no cycle, a tail only on a task with children), and each root row is handed
 * on with its children attached: they are launched, in file order, when the root's own work (its
 * duration) ends, and the root runs its tail when they all have ended; children nest the same
 * way.
 */
export class TaskTreeSource implements ArrivalSource {
  readonly label: string;
  private readonly inner: ParentAwareSource;
  private readonly badRows: BadRows;
  private roots: TaskArrival[] | null = null;
  private first: readonly TaskArrival[] | null | undefined = undefined;
  private isDone = false;

  constructor(inner: ParentAwareSource, badRows: BadRows) {
    this.label = inner.label;
    this.inner = inner;
    this.badRows = badRows;
  }

  async next(): Promise<readonly TaskArrival[] | null> {
    if (this.isDone) return null;
    if (this.first === undefined) {
      this.first = await this.inner.next();
      if (!this.inner.hasParents) return this.first;
      this.roots = await this.readTree(this.first);
    }
    if (this.roots === null) return this.inner.next();

    this.isDone = true;
    return this.roots.length > 0 ? this.roots : null;
  }

  async close(): Promise<void> {
    this.isDone = true;
    await this.inner.close();
  }

  private async readTree(first: readonly TaskArrival[] | null): Promise<TaskArrival[]> {
    const rows: TaskArrival[] = [];
    for (let batch = first; batch !== null; batch = await this.inner.next()) {
      for (const row of batch) rows.push(row);
      if (rows.length > TREE_ROW_LIMIT) {
        throw this.badRows.fatal(
          rows[rows.length - 1].line ?? 1,
          traceMessages.tooManyTreeRows(TREE_ROW_LIMIT),
        );
      }
    }

    const nodes = new Map<string, Node>();
    for (const arrival of rows) {
      const seen = nodes.get(arrival.id);
      if (seen !== undefined) {
        const column = this.columnOf("id", arrival.idColumn);
        const message = traceMessages.duplicateId(arrival.id, column, seen.arrival.line ?? 1);
        throw this.badRows.fatal(arrival.line ?? 1, message, column);
      }
      nodes.set(arrival.id, { arrival, children: [], isSkipped: false });
    }

    const roots: Node[] = [];
    for (const node of nodes.values()) {
      const parentId = node.arrival.parentId;
      if (parentId === undefined) {
        roots.push(node);
        continue;
      }
      const parent = nodes.get(parentId);
      if (parent === undefined) {
        const column = this.columnOf("parent", node.arrival.parentColumn);
        const message = traceMessages.unknownParent(parentId, column, node.arrival.id);
        throw this.badRows.fatal(node.arrival.line ?? 1, message, column);
      }
      parent.children.push(node);
    }
    this.checkNoCycle(nodes);
    this.checkTails(nodes);

    return roots
      .filter((root) => !root.isSkipped)
      .map((root) => ({ ...root.arrival, fanout: fanoutOf(root) }));
  }

  /** A tail is a parent's work after its last child: a task without children has none. */
  private checkTails(nodes: Map<string, Node>): void {
    for (const node of nodes.values()) {
      const { tailMicros = 0, id, line = 1 } = node.arrival;
      if (tailMicros === 0 || node.children.length > 0) continue;
      this.badRows.reject(line, traceMessages.tailWithoutChildren(id, tailMicros / 1e6));
      node.isSkipped = true;
    }
  }

  /** Every task must lead up to a root; a walk up that comes back to itself is a cycle. */
  private checkNoCycle(nodes: Map<string, Node>): void {
    const leadsToRoot = new Set<string>();
    for (const node of nodes.values()) {
      const path: string[] = [];
      const onPath = new Set<string>();
      let current: Node | undefined = node;
      while (current !== undefined && !leadsToRoot.has(current.arrival.id)) {
        const id = current.arrival.id;
        if (onPath.has(id)) {
          // Reported at the parent cell of the cycle's first task: it leads back to itself.
          const cycle = [...path.slice(path.indexOf(id)), id];
          const column = this.columnOf("parent", current.arrival.parentColumn);
          const message = traceMessages.parentCycle(cycle, column);
          throw this.badRows.fatal(current.arrival.line ?? 1, message, column);
        }
        path.push(id);
        onPath.add(id);
        const parentId: string | undefined = current.arrival.parentId;
        current = parentId === undefined ? undefined : nodes.get(parentId);
      }
      for (const id of path) leadsToRoot.add(id);
    }
  }

  /** The field as messages name it; without a place (an id the trace does not give), none. */
  private columnOf(name: string, index: number | undefined): Column | undefined {
    if (index === undefined) return undefined;
    return this.inner.isKeyed ? { index, name, isKey: true } : { index, name };
  }
}

/** A task's children and tail; a parent whose children were all skipped as bad keeps its tail. */
function fanoutOf(node: Node): Fanout | null {
  const tailMicros = node.arrival.tailMicros ?? 0;
  const kept = node.children.filter((child) => !child.isSkipped);
  if (kept.length === 0 && tailMicros === 0) return null;
  const children: ChildSpec[] = kept.map((child) => ({
    id: child.arrival.id,
    env: child.arrival.env,
    workMicros: child.arrival.workMicros,
    timeoutMicros: 0,
    fanout: fanoutOf(child),
  }));
  return new FixedFanout(kept.length === 0 ? [] : [children], tailMicros);
}

import type { Sampler } from "../sim/distributions.js";
import type { Rng } from "../sim/random.js";
import type { ChildSpec, Fanout, Task } from "../sim/task.js";

/** A synthetic workload's `fanout` block, resolved. */
export interface FanoutSpec {
  /** Environment of the children; the parent's own when absent. */
  readonly env?: string;
  /** Children per wave. */
  readonly count: number;
  readonly duration: Sampler;
  /** Waves of children, each launched when the previous one has ended. */
  readonly waves: number;
  /** 1: children only; 2: each child fans out the same way once more; and so on. */
  readonly depth: number;
  /** The parent's own work after its last child, in seconds. */
  readonly tailSeconds: number;
  readonly async: boolean;
}

/** A fanout known in full before its parent starts: drawn, or given as data. */
export class FixedFanout implements Fanout {
  readonly waves: number;
  private readonly children: ChildSpec[][];
  private readonly tail: number;

  constructor(children: ChildSpec[][], tailMicros: number) {
    this.children = children;
    this.waves = children.length;
    this.tail = tailMicros;
  }

  launch(_parent: Task, wave: number): ChildSpec[] {
    return this.children[wave];
  }

  /** The children of one wave, as launch() gives them; known before any task exists. */
  childrenOf(wave: number): readonly ChildSpec[] {
    return this.children[wave];
  }

  tailMicros(): number {
    return this.tail;
  }

  /**
   * The same tree with every child, at every depth, given the fields `change` returns for it: a
   * trace's copies (load above 1), mapping by "all" and its timeout change whole trees.
   */
  withChildren(
    change: (child: ChildSpec) => Partial<Pick<ChildSpec, "id" | "env" | "timeoutMicros">>,
  ): FixedFanout {
    const children = this.children.map((wave) =>
      wave.map((child) => ({
        ...child,
        ...change(child),
        fanout: child.fanout === null ? null : fixedFanout(child.fanout).withChildren(change),
      })),
    );
    return new FixedFanout(children, this.tail);
  }
}

/** A fanout known in full (a trace's tree); any other is a mistake of the caller's. */
export function fixedFanout(fanout: Fanout): FixedFanout {
  if (fanout instanceof FixedFanout) return fanout;
  throw new Error("expected a fanout known in full (a trace's tree of tasks)");
}

/**
 * Draw the whole tree of a root task's children at once, from the workload's own stream, in a
 * fixed order. Drawing at generation time (not at launch) keeps every child's duration
 * independent of the policy under test, which decides when children are launched.
 */
export function drawFanout(
  spec: FanoutSpec,
  parentId: string,
  parentEnv: string,
  timeoutMicros: number,
  rng: Rng,
  depth = spec.depth,
): Fanout {
  const env = spec.env ?? parentEnv;
  const children: ChildSpec[][] = [];
  let n = 0;
  for (let wave = 0; wave < spec.waves; wave++) {
    const specs: ChildSpec[] = [];
    for (let i = 0; i < spec.count; i++) {
      const id = `${parentId}.${++n}`;
      const workMicros = Math.round(spec.duration.sample(rng) * 1e6);
      const fanout = depth > 1 ? drawFanout(spec, id, env, timeoutMicros, rng, depth - 1) : null;
      specs.push({ id, env, workMicros, timeoutMicros, fanout });
    }
    children.push(specs);
  }
  return new FixedFanout(children, Math.round(spec.tailSeconds * 1e6));
}

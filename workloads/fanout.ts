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

  tailMicros(): number {
    return this.tail;
  }
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

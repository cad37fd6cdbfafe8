import { expect } from "chai";
import fc from "fast-check";

import { EventQueue, Priority, type PriorityValue } from "../../sim/event-queue.js";

interface Pushed {
  time: number;
  priority: PriorityValue;
  sequence: number;
}

const PRIORITIES = Object.values(Priority);

/** The order MODEL.md §2.10 defines: time, then priority, then the order of scheduling. */
function byTimePrioritySequence(a: Pushed, b: Pushed): number {
  return a.time - b.time || a.priority - b.priority || a.sequence - b.sequence;
}

describe("sim/event-queue", () => {
  it("EventQueue pops in (time, priority, sequence) order, however pushes and pops interleave", () => {
    // Each step pushes an event (times drawn from a few values, so ties are common) or pops one;
    // every pop must give the earliest of the events still queued, ties broken as defined.
    const push = fc.record({
      time: fc.integer({ min: 0, max: 20 }),
      priority: fc.constantFrom(...PRIORITIES),
    });
    const step = fc.oneof(
      { arbitrary: push, weight: 3 },
      { arbitrary: fc.constant(null), weight: 2 },
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 100, maxLength: 400 }), (steps) => {
        const queue = new EventQueue<Pushed>();
        const queued: Pushed[] = [];
        let sequence = 0;
        for (const next of steps) {
          if (next !== null) {
            const event = { ...next, sequence: sequence++ };
            queue.push(event.time, event.priority, event);
            queued.push(event);
            continue;
          }
          if (queued.length === 0) continue;
          queued.sort(byTimePrioritySequence);
          const expected = queued.shift() as Pushed;
          expect(queue.peekTime()).to.equal(expected.time);
          expect(queue.peekPriority()).to.equal(expected.priority);
          expect(queue.pop()).to.equal(expected);
        }
        expect(queue.size).to.equal(queued.length);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

import { expect } from "chai";
import { FreeSlots } from "../../policies/free-slots.js";
import type { Environment } from "../../sim/environment.js";
import { Replica, ReplicaState } from "../../sim/replica.js";

// FreeSlots against the plain definition: the lowest-id replica that is ready and has a free
// slot. The pool's array of replicas is built here by hand, across several 32-bit words.

const CONCURRENCY = 2;

function pool(count: number): { replicas: Replica[]; slots: FreeSlots } {
  const replicas: Replica[] = [];
  const slots = new FreeSlots(replicas, CONCURRENCY);
  for (let id = 1; id <= count; id++) {
    const replica = new Replica(id, null as unknown as Environment, 0);
    replicas.push(replica);
    slots.add(replica);
  }
  return { replicas, slots };
}

function makeReady(replica: Replica, slots: FreeSlots): void {
  replica.state = ReplicaState.ready;
  slots.update(replica);
}

function lowestByDefinition(replicas: Replica[]): number | undefined {
  return replicas.find((r) => r.isReady && r.running < CONCURRENCY)?.id;
}

describe("FreeSlots", () => {
  it("FreeSlots.lowest() is undefined while every replica is starting", () => {
    const { slots } = pool(70);
    expect(slots.lowest()).to.equal(undefined);
  });

  it("FreeSlots.lowest() finds the lowest ready replica with a free slot in any word", () => {
    const { replicas, slots } = pool(100);
    for (const id of [97, 65, 40, 33]) makeReady(replicas[id - 1], slots);
    expect(slots.lowest()?.id).to.equal(33);

    // Fill replica 33: the next is 40, in the same word; fill 40 too: 65, two words on.
    for (const id of [33, 40]) {
      replicas[id - 1].running = CONCURRENCY;
      slots.update(replicas[id - 1]);
    }
    expect(slots.lowest()?.id).to.equal(65);

    replicas[39].running = CONCURRENCY - 1;
    slots.update(replicas[39]);
    expect(slots.lowest()?.id).to.equal(40);
  });

  it("FreeSlots.rebuild() follows positions after replicas are removed from the array", () => {
    const { replicas, slots } = pool(80);
    for (const replica of replicas) makeReady(replica, slots);
    for (const replica of replicas.slice(0, 50)) {
      replica.running = CONCURRENCY;
      slots.update(replica);
    }

    // Remove replicas 10 to 45 (busy ones cannot be, but positions are what matters here).
    replicas.splice(9, 36);
    slots.rebuild();
    expect(slots.lowest()?.id).to.equal(lowestByDefinition(replicas)).and.to.equal(51);
    expect(replicas.every((replica, position) => replica.position === position)).to.equal(true);
  });

  it("FreeSlots.add() grows past 32 replicas and keeps the answer of the definition", () => {
    const { replicas, slots } = pool(0);
    for (let id = 1; id <= 200; id++) {
      const replica = new Replica(id, null as unknown as Environment, 0);
      replicas.push(replica);
      slots.add(replica);
      if (id % 7 === 0) makeReady(replica, slots);
      if (id % 21 === 0) {
        replica.running = CONCURRENCY;
        slots.update(replica);
      }
      expect(slots.lowest()?.id).to.equal(lowestByDefinition(replicas));
    }
  });
});

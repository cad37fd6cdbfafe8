import type { Replica } from "../sim/replica.js";

/**
 * The ready replicas that have a free slot, lowest id first: dispatch packs work onto the
 * lowest-id replica so the others go idle and can be removed (MODEL.md §2.3).
 *
 * A pool keeps its replicas in an array in id order; this index keeps one bit per position of
 * that array, set while the replica there is ready and has a free slot, so the lowest-id free
 * replica is the lowest set bit.
 *
 * NOTE: finding it costs one word test per 32 replicas, and a task starting or ending flips at
 * most one bit; a binary heap of replicas cost a pop and a push whenever a replica filled up and
 * freed again, which is most tasks under load. Removing a replica shifts the positions after
 * it, so the bits are rebuilt then; replicas go away rarely (scale-down, teardown).
 */
export class FreeSlots {
  private readonly replicas: readonly Replica[];
  private readonly concurrency: number;
  private bits = new Uint32Array(1);

  /** `replicas` is the pool's own array, read as it changes. */
  constructor(replicas: readonly Replica[], concurrency: number) {
    this.replicas = replicas;
    this.concurrency = concurrency;
  }

  /** The lowest-id ready replica with a free slot, or undefined. */
  lowest(): Replica | undefined {
    const bits = this.bits;
    for (let word = 0; word < bits.length; word++) {
      const value = bits[word];
      if (value !== 0) return this.replicas[word * 32 + 31 - Math.clz32(value & -value)];
    }
    return undefined;
  }

  /** A replica was appended to the pool's array (the highest id so far). */
  add(replica: Replica): void {
    replica.position = this.replicas.length - 1;
    if (replica.position >= this.bits.length * 32) this.rebuild();
    else this.update(replica);
  }

  /** `replica` became ready, or a task started or ended on it. */
  update(replica: Replica): void {
    const word = replica.position >> 5;
    const bit = 1 << (replica.position & 31);
    if (replica.isReady && replica.running < this.concurrency) this.bits[word] |= bit;
    else this.bits[word] &= ~bit;
  }

  /** Replicas were removed from the pool's array: index every position again. */
  rebuild(): void {
    this.bits = new Uint32Array(Math.max(1, Math.ceil(this.replicas.length / 32)));
    this.replicas.forEach((replica, position) => {
      replica.position = position;
      this.update(replica);
    });
  }
}

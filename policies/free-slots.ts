import type { Replica } from "../sim/replica.js";

/**
 * The ready replicas that have a free slot, lowest id first: dispatch packs work onto the
 * lowest-id replica so the others go idle and can be removed (MODEL.md §2.3).
 *
 * A binary min-heap on replica id. A replica that fills up or is removed is not taken out at
 * once; it is dropped when it reaches the top (lazy deletion), which keeps every operation
 * O(log n) with no search.
 */
export class FreeSlots {
  private readonly heap: Replica[] = [];
  private readonly concurrency: number;

  constructor(concurrency: number) {
    this.concurrency = concurrency;
  }

  /** The lowest-id ready replica with a free slot, or undefined. */
  lowest(): Replica | undefined {
    while (this.heap.length > 0) {
      const top = this.heap[0];
      if (top.isReady && top.running < this.concurrency) return top;
      this.removeTop();
      top.isIndexed = false;
    }
    return undefined;
  }

  /** Note that `replica` may have a free slot now (it became ready, or a task ended on it). */
  offer(replica: Replica): void {
    if (replica.isIndexed) return;
    replica.isIndexed = true;
    this.heap.push(replica);
    this.siftUp(this.heap.length - 1);
  }

  clear(): void {
    for (const replica of this.heap) replica.isIndexed = false;
    this.heap.length = 0;
  }

  private removeTop(): void {
    const last = this.heap.pop() as Replica;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    this.siftDown(0);
  }

  private siftUp(index: number): void {
    const item = this.heap[index];
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.heap[parent].id <= item.id) break;
      this.heap[index] = this.heap[parent];
      index = parent;
    }
    this.heap[index] = item;
  }

  private siftDown(index: number): void {
    const item = this.heap[index];
    const length = this.heap.length;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      if (child + 1 < length && this.heap[child + 1].id < this.heap[child].id) child++;
      if (this.heap[child].id >= item.id) break;
      this.heap[index] = this.heap[child];
      index = child;
    }
    this.heap[index] = item;
  }
}

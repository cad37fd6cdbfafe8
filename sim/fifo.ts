/**
 * A first-in first-out queue on a growable ring buffer: O(1) at both ends, no shifting of a
 * large array when the head is taken. Waiting tasks live here.
 */
export class Fifo<T> {
  private items: (T | undefined)[] = new Array(16);
  private head = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & (this.items.length - 1)] = item;
    this.count++;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.count--;
    return item;
  }

  /** Remove every item for which `test` is true, keeping the order of the rest. */
  removeWhere(test: (item: T) => boolean): T[] {
    const removed: T[] = [];
    const kept: T[] = [];
    while (this.count > 0) {
      const item = this.shift() as T;
      (test(item) ? removed : kept).push(item);
    }
    for (const item of kept) this.push(item);
    return removed;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.count; i++) {
      yield this.items[(this.head + i) & (this.items.length - 1)] as T;
    }
  }

  private grow(): void {
    // Capacity stays a power of two so the index wraps with a mask.
    const items: (T | undefined)[] = new Array(this.items.length * 2);
    for (let i = 0; i < this.count; i++) {
      items[i] = this.items[(this.head + i) & (this.items.length - 1)];
    }
    this.items = items;
    this.head = 0;
  }
}

/**
 * The future event list: a binary min-heap ordered by (time, priority, sequence number).
 *
 * Time alone does not order events: two events at the same instant are taken in the order of
 * their named priority (MODEL.md §2.10), and two events of the same priority in the order they
 * were scheduled. The sequence number makes that order total, so a run never depends on the
 * heap's internal layout.
 *
 * NOTE: the heap keeps times and order keys in typed arrays beside a plain array of payloads;
 * this avoids one object per event on the hot path of a ten-million-task run.
 */

/**
 * Same-instant order of events: lower runs first (MODEL.md §2.10), so a slot freed at t is free
 * for a task arriving at t, and a replica that finishes at t is not idle at t. Arrivals are merged
 * outside the queue but take their place in this order.
 */
export const Priority = {
  completion: 0,
  replicaReady: 1,
  arrival: 2,
  timeout: 3,
  control: 4,
} as const;

export type PriorityValue = (typeof Priority)[keyof typeof Priority];

// Priority and sequence number share one exactly representable double: priority * 2^48 + seq.
const SEQUENCE_LIMIT = 2 ** 48;

export class EventQueue<T> {
  private times = new Float64Array(1024);
  private keys = new Float64Array(1024);
  private payloads: (T | undefined)[] = new Array(1024);
  private count = 0;
  private sequence = 0;

  get size(): number {
    return this.count;
  }

  /** Time of the earliest event; only meaningful when size > 0. */
  peekTime(): number {
    return this.times[0];
  }

  /** Priority of the earliest event; only meaningful when size > 0. */
  peekPriority(): PriorityValue {
    return Math.floor(this.keys[0] / SEQUENCE_LIMIT) as PriorityValue;
  }

  push(time: number, priority: PriorityValue, payload: T): void {
    if (this.count === this.times.length) this.grow();
    if (this.sequence >= SEQUENCE_LIMIT) throw new Error("event sequence number overflow");

    const key = priority * SEQUENCE_LIMIT + this.sequence++;
    let index = this.count++;

    // Sift up: move parents down until the new event's place is found.
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.isBefore(time, key, this.times[parent], this.keys[parent])) break;
      this.place(index, this.times[parent], this.keys[parent], this.payloads[parent]);
      index = parent;
    }
    this.place(index, time, key, payload);
  }

  /** Remove the earliest event and return its payload; the caller reads the time first. */
  pop(): T {
    if (this.count === 0) throw new Error("pop from an empty event queue");
    const top = this.payloads[0] as T;
    const last = --this.count;
    const time = this.times[last];
    const key = this.keys[last];
    const payload = this.payloads[last];
    this.payloads[last] = undefined;
    if (last > 0) this.siftDown(time, key, payload);
    return top;
  }

  private siftDown(time: number, key: number, payload: T | undefined): void {
    const half = this.count >> 1;
    let index = 0;
    while (index < half) {
      let child = 2 * index + 1;
      const right = child + 1;
      if (
        right < this.count &&
        this.isBefore(this.times[right], this.keys[right], this.times[child], this.keys[child])
      ) {
        child = right;
      }
      if (!this.isBefore(this.times[child], this.keys[child], time, key)) break;
      this.place(index, this.times[child], this.keys[child], this.payloads[child]);
      index = child;
    }
    this.place(index, time, key, payload);
  }

  private isBefore(timeA: number, keyA: number, timeB: number, keyB: number): boolean {
    return timeA < timeB || (timeA === timeB && keyA < keyB);
  }

  private place(index: number, time: number, key: number, payload: T | undefined): void {
    this.times[index] = time;
    this.keys[index] = key;
    this.payloads[index] = payload;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    const keys = new Float64Array(capacity);
    times.set(this.times);
    keys.set(this.keys);
    this.times = times;
    this.keys = keys;
    this.payloads.length = capacity;
  }
}

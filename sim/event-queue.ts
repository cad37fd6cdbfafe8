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
    const { times, keys, payloads } = this;
    let index = this.count++;

    // Sift up: move parents down until the new event's place is found.
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent];
      if (time > parentTime || (time === parentTime && key > keys[parent])) break;
      times[index] = parentTime;
      keys[index] = keys[parent];
      payloads[index] = payloads[parent];
      index = parent;
    }
    times[index] = time;
    keys[index] = key;
    payloads[index] = payload;
  }

  /** Remove the earliest event and return its payload; the caller reads the time first. */
  pop(): T {
    if (this.count === 0) throw new Error("pop from an empty event queue");
    const { times, keys, payloads } = this;
    const top = payloads[0] as T;
    const count = --this.count;
    const time = times[count];
    const key = keys[count];
    const payload = payloads[count];
    payloads[count] = undefined;
    if (count === 0) return top;

    // Sift down from the root: move the earlier child up until the last event's place is found.
    // NOTE: which child is earlier is a coin toss the processor cannot predict, so it is worked
    // out as a number (0 left, 1 right) without a branch; this loop runs for every event.
    let index = 0;
    for (let child = 1; child < count; child = 2 * index + 1) {
      const right = child + 1;
      if (right < count) {
        const leftTime = times[child];
        const rightTime = times[right];
        child +=
          +(rightTime < leftTime) | (+(rightTime === leftTime) & +(keys[right] < keys[child]));
      }
      const childTime = times[child];
      const childKey = keys[child];
      if (time < childTime || (time === childTime && key < childKey)) break;
      times[index] = childTime;
      keys[index] = childKey;
      payloads[index] = payloads[child];
      index = child;
    }
    times[index] = time;
    keys[index] = key;
    payloads[index] = payload;
    return top;
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

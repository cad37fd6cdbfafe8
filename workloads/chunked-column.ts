/** Values a chunk holds: 64 Ki (half a megabyte of doubles). */
const CHUNK_BITS = 16;
const CHUNK_LENGTH = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_LENGTH - 1;

type NumberArray = Float64Array | Uint32Array;

/**
 * A column of numbers read from a large file, in fixed-size chunks: it grows without copying,
 * and holds at most one chunk's worth it does not use. An array that doubles can hold twice
 * what it needs, three times while it grows; and trimming it at the end would copy it once more,
 * the old and new arrays both held until the garbage collector frees the old one.
 */
export class ChunkedColumn<T extends NumberArray> {
  private readonly make: (length: number) => T;
  private readonly chunks: T[] = [];
  length = 0;

  constructor(make: (length: number) => T) {
    this.make = make;
  }

  push(value: number): void {
    const offset = this.length & CHUNK_MASK;
    if (offset === 0) this.chunks.push(this.make(CHUNK_LENGTH));
    this.chunks[this.chunks.length - 1][offset] = value;
    this.length++;
  }

  /** Values the chunks can hold: at most one chunk more than the length. */
  get allocated(): number {
    return this.chunks.length * CHUNK_LENGTH;
  }

  get(index: number): number {
    return this.chunks[index >>> CHUNK_BITS][index & CHUNK_MASK];
  }
}

export type Float64Column = ChunkedColumn<Float64Array>;
export type Uint32Column = ChunkedColumn<Uint32Array>;

export const float64Column = (): Float64Column =>
  new ChunkedColumn((length) => new Float64Array(length));
export const uint32Column = (): Uint32Column =>
  new ChunkedColumn((length) => new Uint32Array(length));

import seedrandom from "seedrandom";

/** A uniform random number generator on [0, 1). */
export type Rng = () => number;

/**
 * One seeded stream per source of randomness, keyed by name. A stream depends only on the seed
 * and its own name, so adding an environment or changing a policy never reshuffles the arrivals
 * of a workload. Alea is used for speed; the streams are not for cryptography.
 */
export class RandomStreams {
  private readonly seed: string;

  constructor(seed: number | string) {
    this.seed = String(seed);
  }

  stream(name: string): Rng {
    return seedrandom.alea(`${this.seed}/${name}`);
  }
}

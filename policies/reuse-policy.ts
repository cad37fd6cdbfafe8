import { parseDuration } from "../sim/duration.js";
import { quote, UserError } from "../sim/errors.js";
import type { Logger } from "../sim/logger.js";

/*
 * STAND-IN: a minimal ReusePolicy so the scenario loader compiles. The real class is written on
 * another branch and replaces this file on merge.
 */

export interface ReusePolicyOptions {
  replicas?: unknown;
  idle_ttl?: unknown;
  concurrency?: unknown;
  scaledown_ttl?: unknown;
}

export interface ReusePolicyContext {
  field?: string;
  logger?: Logger;
}

export class ReusePolicy {
  readonly concurrency: number;
  private readonly replicas: [number, number];
  private readonly idleTtlSeconds: number;
  private readonly scaledownTtlSeconds: number;

  constructor(options: ReusePolicyOptions = {}, context: ReusePolicyContext = {}) {
    const field = context.field ?? "policy";
    const replicas = options.replicas ?? 2;
    const pair = Array.isArray(replicas) ? replicas : [replicas, replicas];
    if (pair.length !== 2 || pair.some((n) => !Number.isInteger(n)) || pair[0] > pair[1]) {
      throw new UserError("BAD_POLICY", `${field}.replicas: invalid replicas ${quote(replicas)}`);
    }
    this.replicas = [pair[0], pair[1]];
    this.concurrency = Number(options.concurrency ?? 1);
    this.idleTtlSeconds = parseDuration(options.idle_ttl ?? 30, `${field}.idle_ttl`);
    this.scaledownTtlSeconds = parseDuration(options.scaledown_ttl ?? 30, `${field}.scaledown_ttl`);
  }

  minReplicas(): number {
    return this.replicas[0];
  }

  maxReplicas(): number {
    return this.replicas[1];
  }

  getScaledownTtl(): number {
    return this.scaledownTtlSeconds;
  }

  getIdleTtl(): number {
    return this.idleTtlSeconds;
  }

  toJSON(): object {
    return {
      replicas: this.replicas,
      idle_ttl: this.idleTtlSeconds,
      concurrency: this.concurrency,
      scaledown_ttl: this.scaledownTtlSeconds,
    };
  }
}

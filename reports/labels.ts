import { formatDuration } from "../sim/duration.js";
import type { EnvironmentDescription, PolicyDescription } from "../sim/scenario-description.js";

/** "replicas 1-4, concurrency 2, idle_ttl 5m, scaledown_ttl 30s", or the no-reuse baseline. */
export function policyText(env: EnvironmentDescription): string {
  if (env.policy === "none") return "no reuse: a fresh container per task";
  const { concurrency, idle_ttl: idleTtl, scaledown_ttl: scaledownTtl } = env.policy;
  return [
    `replicas ${replicasText(env.policy)}`,
    `concurrency ${concurrency}`,
    `idle_ttl ${formatDuration(idleTtl)}`,
    `scaledown_ttl ${formatDuration(scaledownTtl)}`,
  ].join(", ");
}

/**
 * "reuse, 1-4 replicas × 1 slot", "reuse, 1 replica × 8 slots" or "no reuse": short enough for
 * an axis, and the slots tell a starving pool from one with room for its children.
 */
export function shortPolicyText(env: EnvironmentDescription): string {
  if (env.policy === "none") return "no reuse";
  const [min, max] = env.policy.replicas;
  const { concurrency } = env.policy;
  const replicas = `${replicasText(env.policy)} replica${max === 1 && min === 1 ? "" : "s"}`;
  return `reuse, ${replicas} \u00d7 ${concurrency} slot${concurrency === 1 ? "" : "s"}`;
}

/** An environment's name with its short policy, as charts label it. */
export function environmentLabel(env: EnvironmentDescription): string {
  return `${env.name} (${shortPolicyText(env)})`;
}

function replicasText(policy: PolicyDescription): string {
  const [min, max] = policy.replicas;
  return min === max ? String(min) : `${min}\u2013${max}`;
}

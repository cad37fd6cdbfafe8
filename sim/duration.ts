import { quote, UserError } from "./errors.js";

/**
 * TEMPORARY stand-in so the `dists` branch builds on its own. The real sim/duration.ts is being
 * written on another branch with the same signature (and ISO 8601 forms such as "PT5M"); on merge
 * this file is replaced by that one. It accepts a number of seconds or "<n>ms|s|m|h".
 */
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

export function parseDuration(value: unknown, field: string): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;

  const match = typeof value === "string" ? /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value) : null;
  if (match === null) {
    throw new UserError(
      "BAD_DURATION",
      `${field}: expected a duration such as 90, "90s", "5m" or "50ms"; got ${quote(value)}`,
    );
  }

  return Number(match[1]) * UNIT_SECONDS[match[2]];
}

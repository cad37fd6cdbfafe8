import { quote, UserError } from "./errors.js";

/*
 * STAND-IN: a minimal parseDuration so the scenario loader compiles. The real module is written
 * on another branch and replaces this file on merge.
 */

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** A length of time in seconds, from a number of seconds or a string like "90s" or "PT5M". */
export function parseDuration(value: unknown, field: string): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === "string") {
    const seconds = parseHuman(value.trim()) ?? parseIso(value.trim());
    if (seconds !== null) return seconds;
  }
  throw new UserError(
    "BAD_DURATION",
    `${field}: expected a duration (seconds, or a string like "90s", "5m", "1h30m", "PT5M"), got ${quote(value)}`,
  );
}

function parseHuman(text: string): number | null {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join("") !== text) return null;
  return parts.reduce((total, part) => total + Number(part[1]) * UNIT_SECONDS[part[2]], 0);
}

function parseIso(text: string): number | null {
  const match = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(text);
  if (match === null || text === "PT") return null;
  const [hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
  return hours * 3600 + minutes * 60 + seconds;
}

/**
 * Durations as users write them, and the simulator's clock unit.
 *
 * Users give seconds as a number, a human string ("1h30m", "250ms") or an ISO-8601 duration
 * ("PT5M"). Strings are read by integer arithmetic on their decimal digits, so "0.3s" is exactly
 * the number 0.3 and "1h30m" exactly 5400, with no drift from adding floats.
 */
import { UserError, quote } from "./errors.js";

const ALLOWED = `seconds as a number, or a string like "90s", "5m", "1h30m", "250ms", "20us" or ISO-8601 "PT5M"`;

const messages = {
  notDuration: (field: string, value: unknown) =>
    `${field}: ${quote(value)} is not a duration; expected ${ALLOWED}`,
  negative: (field: string, value: unknown) =>
    `${field}: ${quote(value)} is negative; expected 0 or more: ${ALLOWED}`,
  outOfOrder: (field: string, value: unknown) =>
    `${field}: ${quote(value)} has units out of order or repeated; ` +
    `expected each unit at most once, largest first (d, h, m, s, ms, us), like "1h30m15s"`,
  calendarUnits: (field: string, value: unknown) =>
    `${field}: ${quote(value)} uses years, months or weeks, which have no fixed length; ` +
    `expected ISO-8601 days and time only, like "P1DT2H" or "PT5M"`,
  tooLong: (field: string, value: unknown) =>
    `${field}: ${quote(value)} is too long; expected at most ${MAX_DURATION_SECONDS} seconds ` +
    "(about 31 years: the clock counts whole microseconds)",
};

/**
 * The longest duration accepted: about 31.7 years. The clock counts integer microseconds, exact
 * up to 2^53 (285 years); a run's times are sums of durations, so each one stays well below.
 */
export const MAX_DURATION_SECONDS = 1e9;

/** The simulation clock counts integer microseconds. */
export const MICROS_PER_SECOND = 1_000_000;

export function toMicros(seconds: number): number {
  return Math.round(seconds * MICROS_PER_SECOND);
}

export function toSeconds(micros: number): number {
  return micros / MICROS_PER_SECOND;
}

/** Parse a user's duration into seconds, or throw a UserError (BAD_DURATION) naming `field`. */
export function parseDuration(value: unknown, field: string): number {
  if (typeof value === "number") return checkSeconds(value, field);
  if (typeof value !== "string") throw durationError(messages.notDuration(field, value));

  const text = value.trim();
  if (text.startsWith("-") && isDurationText(text.slice(1))) {
    throw durationError(messages.negative(field, value));
  }
  if (CALENDAR_PATTERN.test(text)) throw durationError(messages.calendarUnits(field, value));

  const seconds = exactToSeconds(readExact(text, field, value));
  if (!Number.isFinite(seconds) || seconds > MAX_DURATION_SECONDS) {
    throw durationError(messages.tooLong(field, value));
  }
  return seconds;
}

/** A short form for reports: "1h30m", "2.5s", "90ms", "0s". parseDuration reads it back. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`formatDuration: ${seconds} is not a finite duration of 0 or more`);
  }

  let micros = toMicros(seconds);
  const parts: string[] = [];
  for (const [unit, size] of WHOLE_UNITS) {
    const count = Math.floor(micros / size);
    if (count > 0) parts.push(`${count}${unit}`);
    micros -= count * size;
  }

  if (micros > 0 || parts.length === 0) parts.push(formatRemainder(micros, parts.length > 0));
  return parts.join("");
}

function checkSeconds(seconds: number, field: string): number {
  if (!Number.isFinite(seconds)) throw durationError(messages.notDuration(field, seconds));
  if (seconds < 0) throw durationError(messages.negative(field, seconds));
  if (seconds > MAX_DURATION_SECONDS) throw durationError(messages.tooLong(field, seconds));

  // Adding 0 turns -0 into 0.
  return seconds + 0;
}

function durationError(message: string): UserError {
  return new UserError("BAD_DURATION", message);
}

// Reading strings --------------------------------------------------------------------------------

const NUMBER = String.raw`\d+(?:\.\d+)?`;
const PLAIN_PATTERN = new RegExp(`^${NUMBER}$`);
const HUMAN_PART = `${NUMBER}(?:ms|us|µs|[dhms])`;
const HUMAN_PATTERN = new RegExp(`^${HUMAN_PART}(?:\\s*${HUMAN_PART})*$`);
const HUMAN_PARTS = new RegExp(`(${NUMBER})(ms|us|µs|[dhms])`, "g");
const ISO_PATTERN = new RegExp(
  `^P(?:(${NUMBER})D)?(?:T(?:(${NUMBER})H)?(?:(${NUMBER})M)?(?:(${NUMBER})S)?)?$`,
);
/** An ISO-8601 date part that names years, months or weeks. */
const CALENDAR_PATTERN = /^P[\d.YMWD]*[YMW]/;

/** Microseconds in each unit, largest first; the order human strings must follow. */
const UNIT_MICROS = new Map<string, bigint>([
  ["d", 86_400_000_000n],
  ["h", 3_600_000_000n],
  ["m", 60_000_000n],
  ["s", 1_000_000n],
  ["ms", 1_000n],
  ["us", 1n],
]);
const UNIT_RANK = new Map([...UNIT_MICROS.keys()].map((unit, rank) => [unit, rank]));

/** An exact amount of time: numerator / 10^scale microseconds. */
interface ExactMicros {
  numerator: bigint;
  scale: number;
}

function isDurationText(text: string): boolean {
  try {
    readExact(text, "", text);
    return true;
  } catch {
    return false;
  }
}

function readExact(text: string, field: string, value: string): ExactMicros {
  if (PLAIN_PATTERN.test(text)) return decimalTimes(text, unitMicros("s"));
  if (HUMAN_PATTERN.test(text)) return readHuman(text, field, value);

  const iso = ISO_PATTERN.exec(text);
  if (iso && hasIsoParts(text, iso)) return readIso(iso);
  throw durationError(messages.notDuration(field, value));
}

function readHuman(text: string, field: string, value: string): ExactMicros {
  const parts: ExactMicros[] = [];
  let lastRank = -1;
  for (const [, amount, unit] of text.matchAll(HUMAN_PARTS)) {
    const symbol = unit === "µs" ? "us" : unit;
    const rank = UNIT_RANK.get(symbol) ?? -1;
    if (rank <= lastRank) throw durationError(messages.outOfOrder(field, value));
    lastRank = rank;
    parts.push(decimalTimes(amount, unitMicros(symbol)));
  }
  return sumExact(parts);
}

/** "P" alone, "PT" and "P1DT" match the pattern but name no time. */
function hasIsoParts(text: string, match: RegExpExecArray): boolean {
  const named = match.slice(1).some((amount) => amount !== undefined);
  return named && !text.endsWith("T");
}

function readIso(match: RegExpExecArray): ExactMicros {
  const [, days, hours, minutes, seconds] = match;
  const parts: ExactMicros[] = [];
  const units: [string | undefined, string][] = [
    [days, "d"],
    [hours, "h"],
    [minutes, "m"],
    [seconds, "s"],
  ];
  for (const [amount, unit] of units) {
    if (amount !== undefined) parts.push(decimalTimes(amount, unitMicros(unit)));
  }
  return sumExact(parts);
}

function unitMicros(unit: string): bigint {
  const micros = UNIT_MICROS.get(unit);
  if (micros === undefined) throw new Error(`unknown duration unit ${unit}`);
  return micros;
}

// Exact arithmetic -------------------------------------------------------------------------------

/** A decimal amount such as "1.25" times a whole number of microseconds, kept exact. */
function decimalTimes(amount: string, micros: bigint): ExactMicros {
  const [whole, fraction = ""] = amount.split(".");
  return { numerator: BigInt(whole + fraction) * micros, scale: fraction.length };
}

function sumExact(parts: ExactMicros[]): ExactMicros {
  const scale = Math.max(0, ...parts.map((part) => part.scale));
  let numerator = 0n;
  for (const part of parts) numerator += part.numerator * 10n ** BigInt(scale - part.scale);
  return { numerator, scale };
}

/**
 * Write the exact amount as a decimal string of seconds and let Number() read it: parsing a
 * decimal string is correctly rounded, so the result is the double nearest the exact value.
 */
function exactToSeconds({ numerator, scale }: ExactMicros): number {
  return Number(shiftDecimal(numerator.toString(), scale + 6));
}

/** "1234", 3 gives "1.234"; "5", 3 gives "0.005". */
function shiftDecimal(digits: string, places: number): string {
  if (places === 0) return digits;
  const padded = digits.padStart(places + 1, "0");
  return `${padded.slice(0, -places)}.${padded.slice(-places)}`;
}

// Formatting -------------------------------------------------------------------------------------

const WHOLE_UNITS: [string, number][] = [
  ["d", 86_400 * MICROS_PER_SECOND],
  ["h", 3_600 * MICROS_PER_SECOND],
  ["m", 60 * MICROS_PER_SECOND],
];

/** The part below a minute: milliseconds when it stands alone and is under a second. */
function formatRemainder(micros: number, hasLargerParts: boolean): string {
  if (micros === 0) return "0s";
  if (micros < MICROS_PER_SECOND && !hasLargerParts) return `${trimDecimal(micros, 3)}ms`;
  return `${trimDecimal(micros, 6)}s`;
}

function trimDecimal(count: number, places: number): string {
  const text = shiftDecimal(String(count), places);
  return text.replace(/\.?0+$/, "");
}

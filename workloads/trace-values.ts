/**
 * Reading the values of a trace's fields. Each returns NaN for text that is not what it reads,
 * and the caller reports the field with its position: these only decide what the text says.
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal number ("12", "-0.5", "1e3"); not hex, not "Infinity", not "NaN", not "". */
export function readDecimal(text: string): number {
  return DECIMAL.test(text) ? Number(text) : NaN;
}

/** A non-negative decimal number; NaN otherwise. */
export function readNonNegative(text: string): number {
  const value = readDecimal(text);
  return value >= 0 ? value : NaN;
}

/** A whole number >= 0 written in digits only ("0", "15001"); NaN otherwise. */
export function readCount(text: string): number {
  return /^\d+$/.test(text) ? Number(text) : NaN;
}

const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * An ISO-8601 date and time ("2021-02-01T00:00:05.250Z") as integer microseconds since the Unix
 * epoch; NaN otherwise. A timestamp without a zone is read as UTC, never as the machine's local
 * time, so a run does not depend on where it runs. Digits past the microsecond are dropped. A
 * day the month does not have (2021-02-30) is an error, not moved on into the next month.
 */
export function readIsoMicros(text: string): number {
  const match = ISO_TIMESTAMP.exec(text);
  if (match === null) return NaN;

  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const isInRange =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59;
  if (!isInRange) return NaN;

  const fraction = Number((match[7] ?? "").padEnd(6, "0").slice(0, 6));
  const offsetMinutes = zoneOffsetMinutes(match[8]);
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  return (millis - offsetMinutes * 60_000) * 1000 + fraction;
}

/** Days in the month (1 to 12) of the Gregorian calendar: 2021-02 has 28, 2020-02 has 29. */
function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0"));
}

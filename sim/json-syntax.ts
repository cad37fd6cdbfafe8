/**
 * Where a text stops being JSON, for the message about a scenario file that JSON.parse refuses.
 * JSON.parse names the offset in most of its messages, but not in "Unexpected token 'x'"; then
 * the text is scanned here for the first character that JSON does not allow at its place. The
 * scan keeps its own stack, so a deeply nested file cannot overflow the call stack.
 */

import { quote } from "./errors.js";

export interface JsonSyntaxError {
  /** What JSON.parse said, without the text it quotes and without the offset. */
  reason: string;
  /** Offset (from 0) of the character at fault; the text's length if it ends too early. */
  offset: number;
}

/** Why JSON.parse refused the text, and where; undefined if it takes the text. */
export function findJsonError(text: string): JsonSyntaxError | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    const reason = message
      .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, "")
      .replace(/ in JSON at position \d+.*$/s, "")
      .replace(/ \(line \d+ column \d+\)$/, "")
      // The token as a quoted string: a line break in it would break the one-line message.
      .replace(
        /^Unexpected token '([\s\S])'/,
        (_, token: string) => `Unexpected token ${quote(token)}`,
      );
    const offset = position === undefined ? firstBadOffset(text) : Number(position);
    return { reason, offset };
  }
}

/** What the scan expects next. */
type Expecting = "value" | "valueOrClose" | "key" | "keyOrClose" | "colon" | "commaOrClose";

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ["true", "false", "null"];

/** The offset of the first character that is not JSON at its place; the length if none. */
export function firstBadOffset(text: string): number {
  const closers: string[] = [];
  let expecting: Expecting = "value";
  let at = skipSpace(text, 0);

  while (at < text.length) {
    const char = text[at];
    if (expecting === "commaOrClose") {
      if (closers.length === 0) return at;
      if (char === ",") expecting = closers.at(-1) === "}" ? "key" : "value";
      else if (char === closers.at(-1)) closers.pop();
      else return at;
      at = skipSpace(text, at + 1);
    } else if (expecting === "colon") {
      if (char !== ":") return at;
      expecting = "value";
      at = skipSpace(text, at + 1);
    } else if (
      (expecting === "valueOrClose" && char === "]") ||
      (expecting === "keyOrClose" && char === "}")
    ) {
      closers.pop();
      expecting = "commaOrClose";
      at = skipSpace(text, at + 1);
    } else if (expecting === "key" || expecting === "keyOrClose") {
      if (char !== '"') return at;
      const end = stringEnd(text, at);
      if (end < 0) return -end - 1;
      expecting = "colon";
      at = skipSpace(text, end);
    } else if (char === "{" || char === "[") {
      closers.push(char === "{" ? "}" : "]");
      expecting = char === "{" ? "keyOrClose" : "valueOrClose";
      at = skipSpace(text, at + 1);
    } else {
      const end = scalarEnd(text, at);
      if (end < 0) return -end - 1;
      expecting = "commaOrClose";
      at = skipSpace(text, end);
    }
  }
  return text.length;
}

/** Just past the string that opens at `at`; -(offset + 1) of a bad character in it. */
function stringEnd(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const char = text[i];
    if (char === '"') return i + 1;
    if (char < " ") return -(i + 1);
    if (char !== "\\") continue;
    // As JSON.parse does, a bad escape is placed at the character after the backslash, and a
    // bad \u escape at its first character that is not a hex digit.
    const escape = text[i + 1] ?? "";
    if (escape === "u") {
      for (let digit = i + 2; digit < i + 6; digit++) {
        if (!/[0-9a-fA-F]/.test(text[digit] ?? "")) return -(digit + 1);
      }
      i += 5;
    } else if (escape !== "" && '"\\/bfnrt'.includes(escape)) i++;
    else return -(i + 2);
  }
  return -(text.length + 1);
}

/** Just past the string, number or literal at `at`; -(offset + 1) where it goes wrong. */
function scalarEnd(text: string, at: number): number {
  if (text[at] === '"') return stringEnd(text, at);

  NUMBER.lastIndex = at;
  if (NUMBER.test(text)) return NUMBER.lastIndex;

  for (const literal of LITERALS) {
    if (literal[0] !== text[at]) continue;
    for (let i = 1; i < literal.length; i++) {
      if (text[at + i] !== literal[i]) return -(at + i + 1);
    }
    return at + literal.length;
  }
  return -(at + 1);
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && " \t\n\r".includes(text[at])) at++;
  return at;
}

/**
 * Where each value of a JSON object starts on its line, for messages that point at a bad value:
 * `file:line:column`. JSON.parse gives no positions, so the line is scanned again, but only
 * when a message needs a column; the text is known to be one valid JSON object.
 */

/** The column (from 1) of each top-level key's value; a repeated key keeps its last place. */
export function valueColumns(text: string): Map<string, number> {
  const columns = new Map<string, number>();
  let at = skipSpace(text, text.indexOf("{") + 1);
  while (text[at] === '"') {
    const keyEnd = stringEnd(text, at);
    const key = JSON.parse(text.slice(at, keyEnd)) as string;
    // Past the colon to the value.
    at = skipSpace(text, skipSpace(text, keyEnd) + 1);
    columns.set(key, at + 1);
    at = skipSpace(text, valueEnd(text, at));
    if (text[at] === ",") at = skipSpace(text, at + 1);
  }
  return columns;
}

const JSON_NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The JSON number written at `column` (from 1), as written; undefined if there is none. */
export function numberAt(text: string, column: number): string | undefined {
  JSON_NUMBER.lastIndex = column - 1;
  return JSON_NUMBER.exec(text)?.[0];
}

/** The column (from 1) of the first character that is not white space. */
export function firstColumn(text: string): number {
  return skipSpace(text, 0) + 1;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at])) at++;
  return at;
}

/** Just past the closing quote of the string that opens at `at`. */
function stringEnd(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

/** Just past the value that starts at `at`: a string, an object or list, or a bare word. */
function valueEnd(text: string, at: number): number {
  if (text[at] === '"') return stringEnd(text, at);
  if (text[at] !== "{" && text[at] !== "[") {
    let end = at;
    while (end < text.length && !/[\s,}\]]/.test(text[end])) end++;
    return end;
  }

  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const char = text[i];
    if (char === '"') i = stringEnd(text, i) - 1;
    else if (char === "{" || char === "[") depth++;
    else if ((char === "}" || char === "]") && --depth === 0) return i + 1;
  }
  return text.length;
}

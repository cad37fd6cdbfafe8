/** Escape text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A table with a header row; every cell is text and is escaped. */
export function htmlTable(heads: readonly string[], rows: readonly (readonly string[])[]): string {
  const row = (cells: readonly string[], tag: "th" | "td"): string =>
    `<tr>${cells.map((cell) => `<${tag}>${escapeHtml(cell)}</${tag}>`).join("")}</tr>`;
  return [
    "<table>",
    `<thead>${row(heads, "th")}</thead>`,
    `<tbody>${rows.map((cells) => row(cells, "td")).join("\n")}</tbody>`,
    "</table>",
  ].join("\n");
}

/** A definition list of label and value pairs, escaped. */
export function htmlDefinitions(pairs: readonly (readonly [string, string])[]): string {
  const items = pairs.map(
    ([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`,
  );
  return `<dl>\n${items.join("\n")}\n</dl>`;
}

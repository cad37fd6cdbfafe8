/**
 * A name pattern as users write them for environment overrides: `*` stands for any run of
 * characters (none included), `?` for exactly one; every other character stands for itself.
 * The whole name must match.
 */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (const character of glob) {
    if (character === "*") source += ".*";
    else if (character === "?") source += ".";
    else source += character.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}

/** True when the text holds a wildcard, i.e. names a set of environments rather than one. */
export function isGlob(text: string): boolean {
  return text.includes("*") || text.includes("?");
}

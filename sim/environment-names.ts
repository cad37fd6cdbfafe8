/**
 * Names no environment may have: the properties every JavaScript object has ("__proto__",
 * "constructor", "toString", ...). Summaries and reports key environments by name, and such a
 * name would read the built-in property instead of the environment, or vanish.
 */
const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype));

export function isReservedName(name: string): boolean {
  return RESERVED.has(name);
}

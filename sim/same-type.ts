/*
 * Compile-time checks that tie a JSON Schema to the TypeScript type it describes: a constant
 * typed `IsSame<Static<typeof Schema>, Writable<T>>` and set to true compiles only while the
 * two agree.
 */

/** True when A and B are the same type. */
export type IsSame<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** T without its readonly marks, all the way down: what JSON.parse gives for it. */
export type Writable<T> = T extends object
  ? [keyof T] extends [never]
    ? T
    : { -readonly [K in keyof T]: Writable<T[K]> }
  : T;

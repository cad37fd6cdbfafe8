import { extname } from "node:path";

import {
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from "yaml";

import { isUserError, UserError } from "./errors.js";
import { findJsonError } from "./json-syntax.js";
import type { Logger } from "./logger.js";
import { jsonSyntaxExpectation, messages, show, syntaxExpectation } from "./scenario-messages.js";
import type { ScenarioFile } from "./scenario-schema.js";
import { findSchemaProblem } from "./scenario-validation.js";

/** A field's place in the file: keys and array indexes from the top. */
export type FieldPath = readonly (string | number)[];

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** `environments.api.policy`, `workloads[0].arrivals.rate`. */
export function formatPath(path: FieldPath): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/**
 * A scenario file parsed with positions: where each field is, for messages. A `.json` file is
 * read by JSON.parse, which allows no comment and no trailing comma; the YAML parser, which
 * reads JSON too, then only gives the positions of its fields (and finds a key given twice,
 * which JSON.parse would let the last one win).
 */
export class ScenarioSource {
  readonly file: string;
  private readonly text: string;
  private readonly lineCounter = new LineCounter();
  private readonly document: Document;
  private readonly data: unknown;

  constructor(text: string, file: string, logger: Logger) {
    this.file = file;
    this.text = text;
    const isJson = extname(file).toLowerCase() === ".json";
    const json = isJson ? this.parseJson(text) : undefined;
    // Merge keys (`<<: *base`) are YAML 1.1's, off by default in 1.2; JSON has none. Warnings
    // go to the logger below, never to the process's stderr.
    this.document = parseDocument(text, {
      lineCounter: this.lineCounter,
      prettyErrors: false,
      merge: !isJson,
      logLevel: "error",
    });

    const language = isJson ? "JSON" : "YAML";
    const errors = this.document.errors;
    const [error] = isJson ? errors.filter((e) => e.code === "DUPLICATE_KEY") : errors;
    if (error !== undefined) {
      const reason = error.code === "MULTIPLE_DOCS" ? messages.multipleDocuments() : error.message;
      const offset = error.pos[0];
      const expected = syntaxExpectation(error.code, language, error.message);
      const message = messages.syntax(language, reason, near(text, offset), expected);
      throw new UserError("BAD_SCENARIO", `${this.where(offset)}: ${message}`);
    }
    if (isJson) {
      this.data = json;
      return;
    }
    for (const warning of this.document.warnings) {
      logger.warn(`${this.where(warning.pos[0])}: ${messages.yamlWarning(warning.message)}`);
    }
    this.checkNodes();

    // Aliases are expanded here; too many of them (a "billion laughs" file) is refused.
    try {
      this.data = this.document.toJS();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const expected = /unresolved alias/i.test(reason)
        ? "each alias (*name) after the anchor (&name) it refers to"
        : "fewer aliases";
      const message = messages.syntax(language, reason, "an alias (*name)", expected);
      throw new UserError("BAD_SCENARIO", `${this.where(0)}: ${message}`);
    }
  }

  /**
   * What the YAML parser accepts but a scenario cannot hold, each at its place: an alias before
   * its anchor, a key that is a list or a mapping (`? [a, b] : 1`), and a merge key (`<<`) whose
   * value is not a mapping to merge. The parser would report the first at line 1 and print a
   * warning for the second.
   */
  private checkNodes(): void {
    const anchors = new Map<string, Node>();
    const resolved = (node: unknown): unknown => (isAlias(node) ? anchors.get(node.source) : node);
    let problem: { node: Node; message: string } | undefined;

    visit(this.document, (_, node) => {
      if (isAlias(node) && !anchors.has(node.source)) {
        problem = { node, message: messages.unresolvedAlias(node.source) };
        return visit.BREAK;
      }
      if ((isScalar(node) || isCollection(node)) && node.anchor !== undefined) {
        anchors.set(node.anchor, node);
      }
      if (!isPair(node)) return undefined;

      const key = resolved(node.key);
      if (isCollection(key)) {
        const got = show(this.textOf(node.key as Node));
        problem = { node: node.key as Node, message: messages.collectionKey(got) };
        return visit.BREAK;
      }
      const sources = isSeq(node.value) ? node.value.items : [node.value];
      const badSource = isMergeKey(node.key)
        ? sources.find((source) => !isMap(resolved(source)))
        : undefined;
      if (badSource !== undefined) {
        const got = show(this.textOf(badSource as Node));
        problem = { node: badSource as Node, message: messages.badMergeSource(got) };
        return visit.BREAK;
      }
      return undefined;
    });

    if (problem !== undefined) {
      const offset = rangeStart(problem.node) ?? 0;
      throw new UserError("BAD_SCENARIO", `${this.where(offset)}: ${problem.message}`);
    }
  }

  /** A node's text as the file writes it. */
  private textOf(node: Node | null): string {
    const range = node?.range;
    return range === undefined || range === null ? "" : this.text.slice(range[0], range[1]);
  }

  /**
   * The value of a JSON file, or undefined for one with nothing but white space (the empty
   * scenario's message says so). A syntax error is one line at JSON.parse's position.
   */
  private parseJson(text: string): unknown {
    // JSON.parse refuses a byte order mark; it is no column of the first line either.
    const json = text.startsWith("\uFEFF") ? text.slice(1) : text;
    if (json.trim() === "") return undefined;
    const error = findJsonError(json);
    if (error === undefined) return JSON.parse(json);

    const { line, column } = lineAndColumn(json, error.offset);
    const expected = jsonSyntaxExpectation(error.reason, json[error.offset]);
    const message = messages.syntax("JSON", error.reason, near(json, error.offset), expected);
    throw new UserError("BAD_SCENARIO", `${this.file}:${line}:${column}: ${message}`);
  }

  /** The data, checked against the schema; the first problem found becomes a UserError. */
  validate(): ScenarioFile {
    if (this.document.contents === null) {
      throw this.fail("BAD_SCENARIO", [], messages.emptyScenario());
    }
    const problem = findSchemaProblem(this.data, (pointer) => this.writtenAt(this.pathOf(pointer)));
    if (problem === undefined) return this.data as ScenarioFile;

    const path = this.pathOf(problem.pointer);
    if (problem.unknownKey === undefined) throw this.fail("BAD_SCENARIO", path, problem.message);
    throw this.fail("BAD_SCENARIO", [...path, problem.unknownKey], problem.message, true);
  }

  /** A UserError for the field at `path`: `file:line:col: field: message`. */
  fail(code: UserError["code"], path: FieldPath, message: string, atKey = false): UserError {
    const field = formatPath(path);
    const text = field === "" ? message : `${field}: ${message}`;
    return new UserError(code, `${this.whereField(path, atKey)}: ${text}`);
  }

  /**
   * Run `resolveValue`; a UserError from it gets the position of the field at `path`, or of the
   * field inside it that the message starts with (`duration.mean: ...` for `duration`).
   */
  at<T>(path: FieldPath, resolveValue: () => T): T {
    try {
      return resolveValue();
    } catch (error) {
      if (!isUserError(error)) throw error;
      const inner = [...path, ...innerPath(error.message, formatPath(path))];
      throw new UserError(error.code, `${this.whereField(inner)}: ${error.message}`);
    }
  }

  private where(offset: number): string {
    const { line, col } = this.lineCounter.linePos(offset);
    return `${this.file}:${line}:${col}`;
  }

  /** `file:line:col` of the field at `path` (or of the nearest enclosing node). */
  position(path: FieldPath): string {
    return this.whereField(path);
  }

  /** file:line:col of the field's value (or of its key), or of the nearest enclosing node. */
  private whereField(path: FieldPath, atKey = false): string {
    return this.where(this.find(path, atKey).offset);
  }

  /** The text of the scalar at `path` as the file writes it (`1e400`), if there is one. */
  writtenAt(path: FieldPath): string | undefined {
    const { node, isFound } = this.find(path);
    const range = isFound && isScalar(node) ? node.range : undefined;
    return range === undefined || range === null ? undefined : this.text.slice(range[0], range[1]);
  }

  /**
   * The node of the field at `path` (of its key, with `atKey`) and where it starts; as far as
   * the path goes, when the file does not hold all of it.
   */
  private find(
    path: FieldPath,
    atKey = false,
  ): { node: unknown; offset: number; isFound: boolean } {
    let node: unknown = this.document.contents;
    let offset = rangeStart(node) ?? 0;

    for (const [depth, segment] of path.entries()) {
      if (isAlias(node)) node = node.resolve(this.document);

      if (isMap(node)) {
        const pair = this.pairOf(node, String(segment));
        if (pair === undefined) return { node, offset, isFound: false };
        const isLast = depth === path.length - 1;
        offset = (isLast && atKey ? rangeStart(pair.key) : rangeStart(pair.value)) ?? offset;
        if (isLast && atKey) return { node: pair.key, offset, isFound: true };
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        node = node.items[segment];
        offset = rangeStart(node) ?? offset;
      } else {
        return { node, offset, isFound: false };
      }
    }
    if (isAlias(node)) node = node.resolve(this.document);
    return { node, offset, isFound: true };
  }

  /**
   * The entry of `map` under `key`: its own, else the first merged one (`<<: *base`, or
   * `<<: [*a, *b]` where a's entries win over b's), where the file writes it.
   */
  private pairOf(map: YAMLMap, key: string, depth = 0): Pair | undefined {
    const own = map.items.find((item) => String(scalarValue(item.key)) === key);
    if (own !== undefined || depth > MAX_MERGE_DEPTH) return own;

    for (const item of map.items) {
      if (!isMergeKey(item.key)) continue;
      const sources = isSeq(item.value) ? item.value.items : [item.value];
      for (const source of sources) {
        const merged = isAlias(source) ? source.resolve(this.document) : source;
        const pair = isMap(merged) ? this.pairOf(merged, key, depth + 1) : undefined;
        if (pair !== undefined) return pair;
      }
    }
    return undefined;
  }

  /** Ajv's JSON pointer as a field path, with array indexes as numbers. */
  private pathOf(pointer: string): FieldPath {
    const path: (string | number)[] = [];
    let value: unknown = this.data;
    for (const raw of pointer.split("/").slice(1)) {
      const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      const segment = Array.isArray(value) ? Number(key) : key;
      path.push(segment);
      value = (value as Record<string | number, unknown> | undefined)?.[segment];
    }
    return path;
  }
}

const SEGMENT = /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/;

/** The segments after `field` in a message that starts `field.key[0]: ...`; none otherwise. */
function innerPath(message: string, field: string): FieldPath {
  if (field === "" || !message.startsWith(field)) return [];

  const segments: (string | number)[] = [];
  let rest = message.slice(field.length);
  for (let match = SEGMENT.exec(rest); match !== null; match = SEGMENT.exec(rest)) {
    const [text, key, index, quoted] = match;
    segments.push(key ?? (index !== undefined ? Number(index) : (JSON.parse(quoted) as string)));
    rest = rest.slice(text.length);
  }
  return rest.startsWith(":") ? segments : [];
}

/** Line and column (both from 1) of an offset into the text. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: offset - lineStart + 1 };
}

/** The text a syntax error points at, quoted: the rest of its line. */
function near(text: string, offset: number): string {
  const lineEnd = text.indexOf("\n", offset);
  const restOfLine = text.slice(offset, lineEnd === -1 ? undefined : lineEnd).trim();
  if (restOfLine !== "") return show(restOfLine);
  return lineEnd === -1 ? "the end of the file" : "the end of the line";
}

/** How deep merges inside merges are followed to place a field (a cycle would never end). */
const MAX_MERGE_DEPTH = 20;

/** The key `<<` of a YAML merge: the parser reads it as a symbol. */
function isMergeKey(node: unknown): boolean {
  return isScalar(node) && typeof node.value === "symbol";
}

function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

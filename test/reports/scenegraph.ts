import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

import { measureTextWithChartFont } from "../../reports/text-metrics.js";

/** A scenegraph node: a mark (with a type and a role) or an item of one. */
export interface SceneNode {
  marktype?: string;
  role?: string;
  items?: SceneNode[];
  x?: number;
  y?: number;
  width?: number;
  orient?: string;
  datum?: { scale?: string };
  text?: string | string[];
  /** In the coordinates of the group the item is drawn in. */
  bounds?: { x1: number; x2: number };
}

/** A text as Vega lays it out: its left and right edges on the page, and its group's. */
export interface DrawnText {
  role: string;
  text: string;
  left: number;
  right: number;
  /** The group (a panel, a cell) the text is drawn in, on the page. */
  groupLeft: number;
  groupRight: number;
}

/** Compile a Vega-Lite spec, lay it out in the charts' font, and read it with `read`. */
export async function laidOut<T>(spec: TopLevelSpec, read: (view: View) => T): Promise<T> {
  measureTextWithChartFont();
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    await view.runAsync();
    return read(view);
  } finally {
    view.finalize();
  }
}

export function rootOf(view: View): SceneNode {
  return (view.scenegraph() as unknown as { root: SceneNode }).root;
}

export function visit(node: SceneNode, onMark: (mark: SceneNode) => void): void {
  if (node.marktype !== undefined) onMark(node);
  for (const child of node.items ?? []) visit(child, onMark);
}

/** Every text item Vega draws, with where it and the group holding it sit on the page. */
export async function drawnTexts(spec: TopLevelSpec): Promise<DrawnText[]> {
  return laidOut(spec, (view) => {
    const texts: DrawnText[] = [];
    const walk = (node: SceneNode, group: { left: number; width: number }): void => {
      for (const item of node.items ?? []) {
        if (node.marktype === "text" && item.bounds !== undefined) {
          texts.push({
            role: node.role ?? "",
            text: Array.isArray(item.text) ? item.text.join(" ") : String(item.text ?? ""),
            left: group.left + item.bounds.x1,
            right: group.left + item.bounds.x2,
            groupLeft: group.left,
            groupRight: group.left + group.width,
          });
        }
        const inner =
          node.marktype === "group"
            ? { left: group.left + (item.x ?? 0), width: item.width ?? group.width }
            : group;
        walk(item, inner);
      }
    };
    walk(rootOf(view), { left: 0, width: 0 });
    return texts;
  });
}

import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

import { measureTextWithChartFont } from "../../reports/text-metrics.js";

/** An axis as Vega draws it: its scale's type, its title (lines joined) and its tick labels. */
export interface DrawnAxis {
  orient: string;
  scaleType: string;
  title: string | null;
  labels: string[];
}

/** A scenegraph node: a mark (with a type and a role) or an item of one. */
interface SceneNode {
  marktype?: string;
  role?: string;
  items?: SceneNode[];
  orient?: string;
  datum?: { scale?: string };
  text?: string | string[];
}

/** Every axis that draws a label or a title, read from the scenegraph Vega lays out. */
export async function drawnAxes(spec: TopLevelSpec): Promise<DrawnAxis[]> {
  measureTextWithChartFont();
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    await view.runAsync();
    const axes: SceneNode[] = [];
    visit((view.scenegraph() as unknown as { root: SceneNode }).root, (node) => {
      if (node.role === "axis") axes.push(...(node.items ?? []));
    });
    return axes
      .map((axis) => ({
        orient: axis.orient ?? "",
        scaleType: (view.scale(axis.datum?.scale ?? "") as { type: string }).type,
        title: textsOf(axis, "axis-title")[0] ?? null,
        labels: textsOf(axis, "axis-label"),
      }))
      .filter((axis) => axis.title !== null || axis.labels.length > 0);
  } finally {
    view.finalize();
  }
}

function visit(node: SceneNode, onMark: (mark: SceneNode) => void): void {
  if (node.marktype !== undefined) onMark(node);
  for (const child of node.items ?? []) visit(child, onMark);
}

function textsOf(axis: SceneNode, role: string): string[] {
  const texts: string[] = [];
  visit(axis, (mark) => {
    if (mark.role !== role) return;
    for (const item of mark.items ?? []) {
      const text = Array.isArray(item.text) ? item.text.join(" ") : item.text;
      if (text !== undefined && text !== "") texts.push(text);
    }
  });
  return texts;
}

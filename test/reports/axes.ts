import type { TopLevelSpec } from "vega-lite";

import { laidOut, rootOf, visit, type SceneNode } from "./scenegraph.js";

/** An axis as Vega draws it: its scale's type, its title (lines joined) and its tick labels. */
export interface DrawnAxis {
  orient: string;
  scaleType: string;
  title: string | null;
  labels: string[];
}

/** Every axis that draws a label or a title, read from the scenegraph Vega lays out. */
export async function drawnAxes(spec: TopLevelSpec): Promise<DrawnAxis[]> {
  return laidOut(spec, (view) => {
    const axes: SceneNode[] = [];
    visit(rootOf(view), (node) => {
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
  });
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

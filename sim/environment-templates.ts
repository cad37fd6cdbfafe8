import { globToRegExp } from "./glob.js";
import type { EnvironmentPattern, EnvironmentTemplate, Scenario } from "./scenario.js";

/**
 * Chooses the settings of an environment that a workload names but the scenario does not
 * declare: the first pattern that matches the name, in the scenario's order, else the default.
 */
export class EnvironmentTemplates {
  private readonly patterns: readonly { regExp: RegExp; template: EnvironmentTemplate }[];
  private readonly fallback: EnvironmentTemplate | undefined;

  constructor(scenario: Pick<Scenario, "environmentPatterns" | "defaultEnvironment">) {
    const patterns: readonly EnvironmentPattern[] = scenario.environmentPatterns ?? [];
    this.patterns = patterns.map(({ glob, template }) => ({
      regExp: globToRegExp(glob),
      template,
    }));
    this.fallback = scenario.defaultEnvironment;
  }

  /** True when undeclared names can be given settings at all. */
  get isEmpty(): boolean {
    return this.patterns.length === 0 && this.fallback === undefined;
  }

  templateFor(name: string): EnvironmentTemplate | undefined {
    for (const { regExp, template } of this.patterns) if (regExp.test(name)) return template;
    return this.fallback;
  }
}

import { EnvironmentTemplates } from "../sim/environment-templates.js";
import type { Scenario } from "../sim/scenario.js";
import { suggest } from "../sim/scenario-messages.js";
import { type Column, traceMessages } from "./trace-messages.js";

/** What a trace reader asks of the scenario about the environment a row names. */
export interface EnvironmentCheck {
  /** Whether a task may name the environment: the run has it, or can create it. */
  has(name: string): boolean;
  /** Why a row that names `value` at `column` is rejected. */
  refusal(value: string, column: Column): string;
}

/**
 * The environments a scenario can run a trace's tasks in: those it declares and those its
 * patterns create. A scenario with a `default` entry creates any name and needs no check:
 * environmentCheck gives undefined for it.
 */
export function environmentCheck(
  scenario: Pick<Scenario, "environments" | "environmentPatterns" | "defaultEnvironment">,
): EnvironmentCheck | undefined {
  if (scenario.defaultEnvironment !== undefined) return undefined;
  return new ScenarioEnvironments(scenario);
}

/**
 * A check that lets through every name outside `kept()` (a workload's top N, whose other
 * environments are never replayed) and asks `check` about the rest.
 */
export function keptOnly(
  check: EnvironmentCheck,
  kept: () => ReadonlySet<string> | undefined,
): EnvironmentCheck {
  return {
    has: (name) => !(kept()?.has(name) ?? false) || check.has(name),
    refusal: (value, column) => check.refusal(value, column),
  };
}

class ScenarioEnvironments implements EnvironmentCheck {
  private readonly declared: readonly string[];
  private readonly globs: readonly string[];
  private readonly templates: EnvironmentTemplates;
  /** The declared names, and the names a pattern matched so far: most rows stop here. */
  private readonly known: Set<string>;

  constructor(
    scenario: Pick<Scenario, "environments" | "environmentPatterns" | "defaultEnvironment">,
  ) {
    this.declared = scenario.environments.map((spec) => spec.name);
    this.globs = (scenario.environmentPatterns ?? []).map((pattern) => pattern.glob);
    this.templates = new EnvironmentTemplates(scenario);
    this.known = new Set(this.declared);
  }

  has(name: string): boolean {
    if (this.known.has(name)) return true;
    if (this.templates.templateFor(name) === undefined) return false;
    this.known.add(name);
    return true;
  }

  refusal(value: string, column: Column): string {
    const suggestion = suggest(value, this.declared);
    return traceMessages.undefinedEnvironment(value, column, this.declared, this.globs, suggestion);
  }
}

import { type LintFinding, lintFile, lintScenario } from "../policies/lint.js";
import { loadScenario, readScenarioFile } from "../sim/load-scenario.js";
import type { Logger } from "../sim/logger.js";

export interface LintOptions {
  json?: boolean;
  variables?: Record<string, string>;
  /** Variables the scenario must use (TRACE, with --trace). */
  requiredVariables?: readonly string[];
}

export interface LintReport {
  scenario: string;
  errors: number;
  warnings: number;
  findings: (Omit<LintFinding, "path"> & { at: string })[];
}

/**
 * `reuse-sim lint`: every finding of the policy linter, each with its place in the file. Exit
 * code 1 when a finding is an error, 0 otherwise; a file that cannot be read at all is a user
 * error (exit 2), thrown as such.
 */
export async function lintCommand(
  path: string,
  options: LintOptions,
  io: { stdout: NodeJS.WritableStream; logger: Logger },
): Promise<number> {
  const { data, source } = await readScenarioFile(path, io.logger);
  const findings = lintFile(data);

  // The file's own rules first; the workload rules need a scenario that loads.
  if (!findings.some((finding) => finding.level === "error")) {
    const scenario = await loadScenario(path, {
      variables: options.variables,
      requiredVariables: options.requiredVariables,
    });
    findings.push(...lintScenario(scenario));
  }

  const report: LintReport = {
    scenario: path,
    errors: findings.filter((f) => f.level === "error").length,
    warnings: findings.filter((f) => f.level === "warning").length,
    findings: findings.map(({ path: fieldPath, ...finding }) => ({
      ...finding,
      at: source.position(fieldPath),
    })),
  };
  io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.errors > 0 ? 1 : 0;
}

function formatReport(report: LintReport): string {
  const lines = report.findings.map(
    (finding) => `${finding.at}: ${finding.level}: ${finding.field}: ${finding.message}`,
  );
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  lines.push(
    `${report.scenario}: ${plural(report.errors, "error")}, ${plural(report.warnings, "warning")}`,
  );
  return `${lines.join("\n")}\n`;
}

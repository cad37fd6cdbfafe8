import type { EnvironmentDescription, ScenarioDescription } from "../sim/scenario-description.js";

/** Environments that do one job together: a parent's and the one its children run in. */
export interface SetUp {
  /** "driver + workers"; an environment alone is named by itself. */
  name: string;
  /** In the scenario's order. */
  environments: EnvironmentDescription[];
}

export interface SetUps {
  setUps: SetUp[];
  /** True when some set-up has several environments; false when each stands alone. */
  isGrouped: boolean;
  /** Streams that feed several workloads identical tasks: their set-ups see the same work. */
  sharedStreams: string[];
}

/**
 * The set-ups a scenario compares, as far as it says so: a synthetic workload whose fan-out
 * sends children to another environment ties the two together. When that would tie together
 * two workloads fed by one stream (two set-ups sharing a pool, say), the scenario gives no clean
 * answer, and each environment stands alone.
 */
export function setUpsOf(scenario: ScenarioDescription): SetUps {
  const names = scenario.environments.map((env) => env.name);
  const root = new Map(names.map((name) => [name, name]));
  const find = (name: string): string => {
    let at = name;
    while (root.get(at) !== at) at = root.get(at) as string;
    return at;
  };

  for (const workload of scenario.workloads) {
    if (workload.kind !== "synthetic" || workload.fanout === undefined) continue;
    if (!root.has(workload.env) || !root.has(workload.fanout.env)) continue;
    const [parent, children] = [find(workload.env), find(workload.fanout.env)];
    if (parent !== children) root.set(children, parent);
  }

  const sharedStreams = streamsOfSeveral(scenario);
  const isClean = sharedStreams.every((stream) => {
    const parents = scenario.workloads.flatMap((w) =>
      w.kind === "synthetic" && w.stream === stream ? [find(w.env)] : [],
    );
    return new Set(parents).size === parents.length;
  });

  const groups = new Map<string, EnvironmentDescription[]>();
  for (const env of scenario.environments) {
    const key = isClean ? find(env.name) : env.name;
    groups.set(key, [...(groups.get(key) ?? []), env]);
  }
  const setUps = [...groups.values()].map((environments) => ({
    name: environments.map((env) => env.name).join(" + "),
    environments,
  }));
  return {
    setUps,
    isGrouped: setUps.some((setUp) => setUp.environments.length > 1),
    sharedStreams,
  };
}

function streamsOfSeveral(scenario: ScenarioDescription): string[] {
  const counts = new Map<string, number>();
  for (const workload of scenario.workloads) {
    if (workload.kind !== "synthetic" || workload.stream === undefined) continue;
    counts.set(workload.stream, (counts.get(workload.stream) ?? 0) + 1);
  }
  return [...counts].filter(([, count]) => count > 1).map(([stream]) => stream);
}

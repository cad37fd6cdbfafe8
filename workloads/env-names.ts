import type { TraceMapping } from "../sim/scenario.js";

/** A function as the Azure traces identify it. */
export interface FunctionKey {
  readonly app: string;
  readonly fn: string;
  /** Azure 2019 only: http, queue, event, timer, ... */
  readonly trigger?: string;
}

export const DEFAULT_HASH_PREFIX = 8;
export const DEFAULT_ALL_NAME = "all";

/**
 * Names the environments of a trace readably: `47658c9c-http` per function (a prefix of the
 * function's hash, then its trigger), `app-734bb9a0` per app, or one name for everything. A user's
 * alias (keyed by a hash or a prefix of it) replaces the generated name. When two different
 * hashes share a prefix, the later one (in the order first seen) gets `-2`, `-3`, ...: names are
 * unique and the same on every run over the same file. Aliases are taken as given, so two hashes
 * aliased to one name share one environment.
 */
export class EnvNamer {
  private readonly by: TraceMapping["by"];
  private readonly prefix: number;
  private readonly aliases: readonly [string, string][];
  private readonly allName: string;
  private readonly byKey = new Map<string, string>();
  private readonly owners = new Map<string, string>();

  constructor(mapping: TraceMapping | undefined, allName = DEFAULT_ALL_NAME) {
    this.by = mapping?.by ?? "function";
    this.prefix = mapping?.hashPrefix ?? DEFAULT_HASH_PREFIX;
    this.aliases = Object.entries(mapping?.aliases ?? {});
    this.allName = allName;
  }

  nameOf(key: FunctionKey): string {
    if (this.by === "all") return this.allName;
    const hash = this.by === "app" ? key.app : key.fn;
    const fullKey = this.by === "app" ? key.app : `${key.app}/${key.fn}`;
    const known = this.byKey.get(fullKey);
    if (known !== undefined) return known;

    const name = this.aliasOf(hash) ?? this.unique(this.generated(hash, key.trigger), fullKey);
    this.byKey.set(fullKey, name);
    return name;
  }

  private generated(hash: string, trigger: string | undefined): string {
    const short = hash.slice(0, this.prefix);
    if (this.by === "app") return `app-${short}`;
    return trigger === undefined || trigger === "" ? short : `${short}-${trigger}`;
  }

  private aliasOf(hash: string): string | undefined {
    for (const [prefix, alias] of this.aliases) if (hash.startsWith(prefix)) return alias;
    return undefined;
  }

  private unique(base: string, fullKey: string): string {
    let name = base;
    for (let n = 2; this.owners.has(name) && this.owners.get(name) !== fullKey; n++) {
      name = `${base}-${n}`;
    }
    this.owners.set(name, fullKey);
    return name;
  }
}

/** The keys of the `count` largest totals, largest first; ties go to the key seen first. */
export function busiest<K>(totals: ReadonlyMap<K, number>, count: number): Set<K> {
  const ranked = [...totals.entries()].map(([key, total], order) => ({ key, total, order }));
  ranked.sort((a, b) => b.total - a.total || a.order - b.order);
  return new Set(ranked.slice(0, count).map((entry) => entry.key));
}

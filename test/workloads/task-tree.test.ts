import { expect } from "chai";
import { simulate } from "../../sim/simulation.js";
import type { TraceWorkloadSpec } from "../../sim/scenario.js";
import type { Fanout, Task } from "../../sim/task.js";
import type { TaskArrival } from "../../workloads/source.js";
import { env, scenario, times } from "../helpers.js";
import { replay, replayError, writeTrace } from "./trace-helpers.js";

// The tasks format's parent column: a child row has no arrival; it is launched when its
// parent's own work ends, and the parent holds its slot until every child has ended.

const TREE = [
  "arrival,duration,env,id,parent",
  "0,2,pool,P,",
  ",5,pool,c1,P",
  "1,3,pool,Q,",
  ",5,pool,c2,P",
  ",5,pool,c3,P",
].join("\n");

async function runTrace(
  path: string,
  extra: Partial<TraceWorkloadSpec> = {},
  environments = ["pool"],
  replicas = 3,
): Promise<Task[]> {
  const tasks: Task[] = [];
  await simulate(
    scenario(
      environments.map((name) => env(name, { replicas, idle_ttl: 300, scaledown_ttl: 300 })),
      [{ kind: "trace", path, format: "tasks", async: false, ...extra }],
    ),
    { onTaskEnd: (task) => tasks.push(task) },
  );
  return tasks;
}

/** The tasks that ended, by id (ids are unique in these traces). */
async function runTraceById(path: string): Promise<Map<string, Task>> {
  return new Map((await runTrace(path)).map((task) => [task.id, task]));
}

/** Every task of the replayed trees, roots and children at every depth: [id, env] in order. */
function flatten(arrivals: readonly TaskArrival[]): [string, string][] {
  const rows: [string, string][] = [];
  const visit = (id: string, envName: string, fanout: Fanout | null | undefined) => {
    rows.push([id, envName]);
    for (let wave = 0; wave < (fanout?.waves ?? 0); wave++) {
      for (const child of fanout?.launch(undefined as never, wave) ?? []) {
        visit(child.id, child.env, child.fanout);
      }
    }
  };
  for (const arrival of arrivals) visit(arrival.id, arrival.env, arrival.fanout);
  return rows;
}

describe("tasks trace with a parent column", () => {
  it("TaskTreeSource hands on the roots, in order, with their children attached", async () => {
    const { tasks } = await replay({ path: writeTrace("tree.csv", TREE), format: "tasks" });
    expect(tasks.map((t) => t.id)).to.deep.equal(["P", "Q"]);
    const fanout = tasks[0].fanout;
    expect(fanout?.waves).to.equal(1);
    const children = fanout?.launch(undefined as never, 0) ?? [];
    expect(children.map((c) => [c.id, c.env, c.workMicros])).to.deep.equal([
      ["c1", "pool", 5e6],
      ["c2", "pool", 5e6],
      ["c3", "pool", 5e6],
    ]);
    expect(tasks[1].fanout).to.equal(null);
  });

  it("a replayed tree runs as worked by hand (3 replicas, no cold start)", async () => {
    // P on replica 1 at 0-2; Q on replica 2 at 1-4. At 2 P launches c1-c3: c1 takes replica 3
    // (2-7), c2 and c3 queue; at 4 Q ends and c2 takes replica 2 (4-9); at 7 c3 takes replica 3
    // (7-12). P ends with its last child, at 12.
    const tasks = await runTraceById(writeTrace("run-tree.csv", TREE));
    expect(times(tasks.get("c1"))).to.deep.include({ start: 2, end: 7, replica: 3 });
    expect(times(tasks.get("c2"))).to.deep.include({ start: 4, end: 9, replica: 2 });
    expect(times(tasks.get("c3"))).to.deep.include({ start: 7, end: 12, replica: 3 });
    expect(times(tasks.get("P")).end).to.equal(12);
  });

  it("JSON Lines: a parent key on the first object allows parents, nested two deep", async () => {
    const text = [
      '{"arrival": 0, "duration": 1, "env": "pool", "id": "P", "parent": null}',
      '{"duration": 2, "env": "pool", "id": "C", "parent": "P"}',
      '{"duration": 3, "env": "pool", "id": "G", "parent": "C"}',
    ].join("\n");
    const tasks = await runTraceById(writeTrace("tree.jsonl", text));
    // P 0-1; C 1-3; G 3-6; C ends at 6, P at 6.
    expect([tasks.get("G"), tasks.get("C"), tasks.get("P")].map((t) => times(t).end)).to.deep.equal(
      [6, 6, 6],
    );
  });

  it("openTrace({load: 2}) copies whole trees: a copy's children are copies, ids suffixed at every depth", async () => {
    const text = [
      '{"arrival": 0, "duration": 1, "env": "pool", "id": "P", "parent": null}',
      '{"duration": 2, "env": "pool", "id": "C", "parent": "P"}',
      '{"duration": 3, "env": "pool", "id": "G", "parent": "C"}',
      '{"arrival": 1, "duration": 1, "env": "pool", "id": "Q"}',
    ].join("\n");
    const path = writeTrace("load-tree.jsonl", text);
    const { tasks } = await replay({ path, format: "tasks", load: 2 });
    expect(flatten(tasks).map(([id]) => id)).to.deep.equal([
      ...["P", "C", "G"],
      ...["P+2", "C+2", "G+2"],
      ...["Q", "Q+2"],
    ]);

    // In a run (with a slot for every task), every copy is a task of its own: 8 tasks, 8 ids.
    const ended = await runTrace(path, { load: 2 }, ["pool"], 8);
    expect(ended).to.have.length(8);
    expect(new Set(ended.map((task) => task.id)).size).to.equal(8);
  });

  it('openTrace({mapping: {by: "all"}}) puts a tree\'s children in the one environment too', async () => {
    const text = TREE.replace(/,pool,c/g, ",workers,c");
    const path = writeTrace("all-tree.csv", text);
    const { tasks } = await replay({ path, format: "tasks", mapping: { by: "all" }, env: "one" });
    expect(flatten(tasks)).to.deep.equal([
      ["P", "one"],
      ["c1", "one"],
      ["c2", "one"],
      ["c3", "one"],
      ["Q", "one"],
    ]);
    const ended = await runTrace(path, { mapping: { by: "all" }, env: "one" }, ["one"]);
    expect(ended.map((task) => task.env.name).sort()).to.deep.equal(Array(5).fill("one"));
  });

  it("openTrace({load: 2, mapping: all}) copies and renames a tree together", async () => {
    const path = writeTrace("all-load-tree.csv", TREE.replace(/,pool,c/g, ",workers,c"));
    const { tasks } = await replay({
      path,
      format: "tasks",
      load: 2,
      mapping: { by: "all" },
      env: "one",
    });
    const flat = flatten(tasks);
    expect(flat).to.have.length(10);
    expect(new Set(flat.map(([id]) => id)).size).to.equal(10);
    expect(new Set(flat.map(([, name]) => name))).to.deep.equal(new Set(["one"]));
  });

  it("a tail column: a parent runs its tail after its last child has ended", async () => {
    // 3 replicas, no cold start. P on replica 1 at 0-2, then c1 and c2 on replicas 2 and 3 at
    // 2-7; P's tail of 3 s follows on its own slot, 7-10. Q has an empty tail: none.
    const text = [
      "arrival,duration,env,id,parent,tail",
      "0,2,pool,P,,3",
      ",5,pool,c1,P,",
      ",5,pool,c2,P,0",
      "1,1,pool,Q,,",
    ].join("\n");
    const tasks = await runTraceById(writeTrace("tail.csv", text));
    expect(times(tasks.get("c2"))).to.deep.include({ start: 2, end: 7 });
    expect(times(tasks.get("P"))).to.deep.equal({ start: 0, end: 10, kind: "cold", replica: 1 });
    expect(times(tasks.get("Q")).end).to.equal(2);
  });

  it("JSON Lines: a tail key, nested two deep", async () => {
    // P 0-1; C 1-3; G 3-6; C's tail 6-8; P's tail 8-12.
    const text = [
      '{"arrival": 0, "duration": 1, "env": "pool", "id": "P", "parent": null, "tail": 4}',
      '{"duration": 2, "env": "pool", "id": "C", "parent": "P", "tail": "2"}',
      '{"duration": 3, "env": "pool", "id": "G", "parent": "C", "tail": null}',
    ].join("\n");
    const tasks = await runTraceById(writeTrace("tail.jsonl", text));
    expect(["G", "C", "P"].map((id) => times(tasks.get(id)).end)).to.deep.equal([6, 8, 12]);
  });

  it("skipBadRows: a tail on a task without children skips that task with a warning", async () => {
    // c has a tail but no children: skipped. P keeps its tail and, its only child gone, runs it
    // right after its own work: 0-2, then 2-5.
    const text = "arrival,duration,env,id,parent,tail\n0,2,pool,P,,3\n,5,pool,c,P,1\n";
    const path = writeTrace("tail-leaf.csv", text);
    const { tasks, warnings } = await replay({ path, format: "tasks", skipBadRows: true });
    expect(flatten(tasks)).to.deep.equal([["P", "pool"]]);
    expect(warnings[0]).to.equal(
      `${path}:3: task "c" has a tail (1 s) but no children; a tail is a parent's own work after its last child: add it to the task's duration, or leave the tail empty (row skipped: skipBadRows is on)`,
    );
    const ended = await runTrace(path, { skipBadRows: true });
    expect(ended.map((task) => [task.id, task.endAt / 1e6])).to.deep.equal([["P", 5]]);
  });

  it("a duplicate task id is an error naming both lines", async () => {
    const path = writeTrace(
      "dup.csv",
      "arrival,duration,env,id,parent\n0,1,pool,a,\n1,1,pool,a,\n",
    );
    const { code, message } = await replayError({ path, format: "tasks" });
    expect(code).to.equal("BAD_TRACE");
    expect(message).to.equal(
      `${path}:3:4: duplicate task id "a" in column 4 (id) (first at line 2); expected each ` +
        "task id once in the trace",
    );
  });

  it("a parent that is not in the trace is an error naming the child's line", async () => {
    const path = writeTrace(
      "orphan.csv",
      "arrival,duration,env,id,parent\n0,1,pool,a,\n,1,pool,b,zz\n",
    );
    const { message } = await replayError({ path, format: "tasks" });
    expect(message).to.equal(
      `${path}:3:5: parent "zz" in column 5 (parent) of task "b" is not in the trace; expected ` +
        "the id of a task in the trace, or an empty parent for a task without one",
    );
  });

  it("a cycle of parents is an error that spells the cycle out", async () => {
    const text = "arrival,duration,env,id,parent\n0,1,pool,r,\n,1,pool,a,b\n,1,pool,b,a\n";
    const { message } = await replayError({ path: writeTrace("cycle.csv", text), format: "tasks" });
    expect(message).to.match(
      /:3:5: a cycle of parents in column 5 \(parent\): "a" -> "b" -> "a"; expected every task/,
    );
  });

  it("JSON Lines: a duplicate id, a missing parent and a cycle are errors at the value's column", async () => {
    const root = '{"arrival": 0, "duration": 1, "id": "r", "parent": null}';
    const errorOf = async (name: string, lines: string[]) => {
      const path = writeTrace(name, lines.join("\n"));
      return (await replayError({ path, format: "tasks", env: "p" })).message;
    };
    const columnOf = (line: string, value: string) => line.lastIndexOf(value) + 1;

    const duplicate = '{"duration": 1,  "id": "r", "parent": "r"}';
    expect(await errorOf("dup.jsonl", [root, duplicate])).to.include(
      `dup.jsonl:2:${columnOf(duplicate, '"r", "parent"')}: duplicate task id "r" in key "id" ` +
        "(first at line 1)",
    );
    const orphan = '{"duration": 1, "id": "c",   "parent": "zz"}';
    expect(await errorOf("orphan.jsonl", [root, orphan])).to.include(
      `orphan.jsonl:2:${columnOf(orphan, '"zz"')}: parent "zz" in key "parent" of task "c" is ` +
        "not in the trace",
    );
    const [a, b] = [
      '{"duration": 1, "id": "a", "parent": "b"}',
      '{"duration": 1, "id": "b", "parent": "a"}',
    ];
    expect(await errorOf("cycle.jsonl", [root, a, b])).to.include(
      `cycle.jsonl:2:${columnOf(a, '"b"')}: a cycle of parents in key "parent": "a" -> "b" -> "a"`,
    );
  });

  it("a child row with an arrival of its own is an error at that cell", async () => {
    const text = "arrival,duration,env,id,parent\n0,1,pool,p,\n4,1,pool,c,p\n";
    const path = writeTrace("child-arrival.csv", text);
    const { message } = await replayError({ path, format: "tasks" });
    expect(message).to.include(`${path}:3:1: "4" in column 1 (arrival): a row with a parent`);
  });
});

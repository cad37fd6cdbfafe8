import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** Every file under `dir`, as relative paths, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

/** Every file under `dir` with its bytes, by relative path. */
export async function readAll(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const path of await listFiles(dir)) files.set(path, await readFile(join(dir, path)));
  return files;
}

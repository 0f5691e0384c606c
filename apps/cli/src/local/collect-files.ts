import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { UsageError } from '../exit-codes';

export interface InputFile {
  path: string;
  /** Shown to the user: relative to the folder it was found in (or the file name). */
  label: string;
  size: number;
}

/** Skipped silently: OS litter, not resumes. */
const IGNORED = /^(\.|~\$|Thumbs\.db$|desktop\.ini$)/i;

/**
 * Every file under the given files and folders (recursively), in a stable order. A path that does
 * not exist is a usage error; hidden files and OS litter are skipped.
 */
export async function collectFiles(paths: string[]): Promise<InputFile[]> {
  const found: InputFile[] = [];
  for (const input of paths) {
    const root = resolve(input);
    const info = await stat(root).catch(() => null);
    if (!info) throw new UsageError(`No such file or folder: ${input}`);
    if (info.isFile()) {
      found.push({ path: root, label: basename(root), size: info.size });
      continue;
    }
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      const rel = relative(root, path);
      if (rel.split(/[\\/]/).some((part) => IGNORED.test(part))) continue;
      found.push({ path, label: rel, size: (await stat(path)).size });
    }
  }
  const seen = new Set<string>();
  return found
    .filter((f) => (seen.has(f.path) ? false : (seen.add(f.path), true)))
    .sort((a, b) => a.label.localeCompare(b.label));
}

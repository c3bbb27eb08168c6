// The program's list of its resources (by ownerRef), beside the plan diagram: the program process writes
// it (provider/planning.ts), the provider process reads it (diagram.ts). Both write files atomically.
import * as fs from "node:fs";
import * as path from "node:path";

/** Writes `text` to `file` whole: a reader sees the old or the new file, never part of one. */
export function writeAtomically(file: string, text: string): void {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function listPath(diagram: string): string {
  return path.join(path.dirname(path.resolve(diagram)), `.${path.basename(diagram)}.declared.json`);
}

export const declaredFile = {
  write(diagram: string, ownerRefs: string[]): void {
    writeAtomically(listPath(diagram), `${JSON.stringify(ownerRefs)}\n`);
  },
  /** The program's resources, or undefined when the program has not written the list (yet). */
  read(diagram: string): Set<string> | undefined {
    try {
      return new Set(JSON.parse(fs.readFileSync(listPath(diagram), "utf8")) as string[]);
    } catch {
      return undefined;
    }
  },
};

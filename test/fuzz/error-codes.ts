// The stable error codes a `pulumi preview` or `pulumi up` reports, read from what the CLI prints.
//
// Both sides print "<Code>: <message>": a failed check as `... has a problem: <Kind> "<name>": <Code>: ...`
// and a failed create/update/delete as `error: creating <Kind> (...): <Code>: ...`. Only the text of error
// diagnostics counts; warnings (e.g. one-sided routes) may name codes without failing anything.
import { ERROR_CODES } from "../helpers/api";

const CODE = new RegExp(`\\b(${ERROR_CODES.join("|")}):`, "g");

/** The lines of the CLI output that belong to error diagnostics (an "error:" line and its continuation). */
export function errorText(output: string): string {
  const kept: string[] = [];
  let inError = false;
  for (const line of output.split("\n")) {
    const severity = /^\s*(error|warning|info):/.exec(line)?.[1];
    if (severity) inError = severity === "error";
    else if (/^\S/.test(line) || /^\s*$/.test(line) || /^\s{2}\S.*:\s*$/.test(line)) inError = false;
    if (inError) kept.push(line);
  }
  return kept.join("\n");
}

/**
 * The codes of each resource's error diagnostics, by logical name (the "  <type> (<name>):" headers of the
 * Diagnostics section).
 */
export function errorCodesByResource(output: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const at = output.indexOf("\nDiagnostics:");
  if (at < 0) return out;
  let current: string | undefined;
  let chunk: string[] = [];
  const flush = () => {
    if (current === undefined) return;
    const codes = errorCodes(chunk.join("\n"));
    if (codes.length > 0) out.set(current, [...new Set([...(out.get(current) ?? []), ...codes])].sort());
  };
  for (const line of output.slice(at).split("\n")) {
    const header = /^ {2}\S+ \((.+)\):\s*$/.exec(line);
    if (header) {
      flush();
      current = header[1];
      chunk = [];
    } else if (/^\S/.test(line) && !line.startsWith("Diagnostics:")) {
      flush();
      current = undefined;
    } else {
      chunk.push(line);
    }
  }
  flush();
  return out;
}

/** The distinct error codes in the error diagnostics of a CLI run, sorted. */
export function errorCodes(output: string): string[] {
  const found = new Set<string>();
  for (const m of errorText(output).matchAll(CODE)) found.add(m[1]);
  return [...found].sort();
}

/** The "Diagnostics:" section of a CLI run (or its tail), to show in a failure report. */
export function diagnostics(output: string, max = 4000): string {
  const at = output.indexOf("Diagnostics:");
  const text = at >= 0 ? output.slice(at) : output.slice(-max);
  return text.length > max ? `${text.slice(0, max)}\n...` : text;
}

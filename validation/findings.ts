/** One thing wrong with one rendered object. */
export interface Finding {
  /** The file (relative to where validation started), `#N` when it holds several documents. */
  readonly file: string;
  /** JSONPath-like location in the object, `$` for the object itself. */
  readonly path: string;
  /** Stable rule id, e.g. `schema.unknown-field`, `cel`, `jobrun.required`, `cross.toleration`. */
  readonly rule: string;
  readonly message: string;
}

/** `file: json-path: rule-id: message`, the one-line form `validate` and `synth` print. */
export function formatFinding(finding: Finding): string {
  return `${finding.file}: ${finding.path}: ${finding.rule}: ${finding.message}`;
}

/** Collects findings for one document. */
export class FindingSink {
  readonly findings: Finding[] = [];

  report(file: string, path: string, rule: string, message: string): void {
    this.findings.push({ file, path, rule, message });
  }
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOptions } from '../pipeline/cli';
import { writeFileAtomic } from '../pipeline/safe-output';
import { table } from '../pipeline/summary';
import { gitBlobId, readLock, schemaDir, SchemaFilesError } from '../validation/schema-files';

const HELP = `Usage: npm run schemas [-- --check]

Downloads the upstream schemas pinned in schemas.lock.json (Kubernetes OpenAPI, Karpenter, ACK
emrcontainers and Argo CD CRDs) into .cache/schemas and verifies each file's git blob id.
With SCHEMA_DIR set, nothing is downloaded: the copy there is verified instead.

  --check   only verify what is there; download nothing
  --help    show this help`;

/** `emr-eks-gitops schemas`: returns the exit code. */
export async function run(args: readonly string[]): Promise<number> {
  const { values } = parseOptions('schemas', args, {
    check: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const dir = schemaDir();
  const download = !values.check && (process.env.SCHEMA_DIR ?? '') === '';
  const rows: string[][] = [];
  let bad = 0;
  for (const entry of readLock()) {
    const file = join(dir, entry.path);
    let state = existsSync(file)
      ? gitBlobId(readFileSync(file)) === entry.blob
        ? 'ok'
        : 'altered'
      : 'missing';
    if (state !== 'ok' && download) {
      process.stderr.write(`schemas: downloading ${entry.url}\n`);
      let response: Response;
      try {
        response = await fetch(entry.url);
      } catch (error) {
        throw new SchemaFilesError(
          `schemas: cannot download ${entry.url} (${(error as Error).message}); set SCHEMA_DIR to an offline copy instead.`,
        );
      }
      if (!response.ok) throw new SchemaFilesError(`schemas: ${entry.url} answered HTTP ${response.status}.`);
      const content = Buffer.from(await response.arrayBuffer());
      const blob = gitBlobId(content);
      if (blob !== entry.blob) {
        throw new SchemaFilesError(
          `schemas: ${entry.url} has git blob ${blob}, but the lock pins ${entry.blob}; not saved.`,
        );
      }
      writeFileAtomic(file, content);
      state = 'downloaded';
    }
    if (state !== 'ok' && state !== 'downloaded') bad++;
    rows.push([entry.path, `${entry.project} ${entry.version}`, state]);
  }
  process.stdout.write(
    `${table(['schema', 'pinned', 'state'], rows)}\n${dir}: ${rows.length - bad}/${rows.length} verified\n`,
  );
  if (bad > 0) {
    process.stderr.write(
      `schemas: ${bad} schema(s) missing or altered in ${dir}; run \`npm run schemas\` without SCHEMA_DIR to download them.\n`,
    );
    return 1;
  }
  return 0;
}

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';

/** One step of an operations plan: what it does, and the command that does it. */
export interface CommandStep {
  readonly title: string;
  readonly command: readonly string[];
}

/** The command as a POSIX shell line (arguments quoted only where needed), for printing. */
export function shellLine(command: readonly string[]): string {
  return command
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`))
    .join(' ');
}

/** Runs a step's command with the terminal attached (its output is the user's progress). */
export function runStep(step: CommandStep): SpawnSyncReturns<Buffer> {
  const [program = '', ...args] = step.command;
  return spawnSync(program, args, { stdio: 'inherit' });
}

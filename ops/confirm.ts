import { readSync } from 'node:fs';
import { sleep } from '../pipeline/safe-output';

/** What a destructive command asks before it runs. */
export interface Confirmation {
  /** One sentence naming what is destroyed: the account, the cluster, the buckets. */
  readonly what: string;
  /** What the user must type, or pass as `--yes=<answer>`: the cluster's name. */
  readonly answer: string;
}

/** How the answer is obtained. */
export interface Asker {
  /** Whether a person can answer (stdin is a terminal). */
  readonly interactive: boolean;
  /** `--yes=<value>`: the answer given on the command line, for scripts. */
  readonly yes?: string;
  /** Shows the question and returns the line typed (undefined at end of input). */
  readonly prompt: (question: string) => string | undefined;
}

/**
 * Whether a person confirmed: undefined when they did, else why not, as the end of a sentence.
 * `--yes` must name the cluster; without it the cluster's name must be typed at a terminal, and
 * without a terminal nothing is confirmed.
 */
export function refusal(confirmation: Confirmation, asker: Asker): string | undefined {
  const { answer } = confirmation;
  if (asker.yes !== undefined) {
    return asker.yes === answer ? undefined : `--yes=${asker.yes} does not name the cluster, ${answer}`;
  }
  if (!asker.interactive) return unattended(answer);
  const typed = asker.prompt(`${confirmation.what}\nType the cluster name (${answer}) to go on: `);
  if (typed === undefined) return 'nothing was typed (end of input)';
  return typed.trim() === answer
    ? undefined
    : `${JSON.stringify(typed.trim())} is not the cluster name, ${answer}`;
}

/** The refusal when nobody can be asked (also checked before anything is looked up). */
export function unattended(answer: string): string {
  return `stdin is not a terminal, so nobody can confirm: run it in a terminal, or pass --yes=${answer} (the cluster name) to confirm from a script`;
}

/** Reads one line from stdin (fd 0) synchronously, without the line end; undefined at its end. */
export function readLine(): string | undefined {
  const bytes: number[] = [];
  const one = Buffer.alloc(1);
  for (;;) {
    let read: number;
    try {
      read = readSync(0, one, 0, 1, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return undefined;
      sleep(20);
      continue;
    }
    if (read === 0) return bytes.length === 0 ? undefined : Buffer.from(bytes).toString('utf8');
    if (one[0] === 0x0a) return Buffer.from(bytes).toString('utf8').replace(/\r$/, '');
    bytes.push(one[0] ?? 0);
  }
}

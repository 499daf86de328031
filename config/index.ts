import { defaultEnvironment } from './environments/default';
import type { PlatformInput } from './schema';

export { ConfigError, formatProblem, type ConfigProblem } from './errors';
export { loadPlatform } from './load';
export * from './naming';
export type * from './schema';
export { versions } from './versions';

/** The embedded platform `npm run synth` renders when no `--config` file is given. */
export const defaultPlatform: PlatformInput = { environments: [defaultEnvironment] };

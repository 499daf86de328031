import { ConfigError, problemsFromZod } from './errors';
import { checkPlatform } from './rules';
import { platformSchema, type Platform } from './schema';

/**
 * Parses and checks a platform description. Returns the config with every default filled in, or
 * throws a {@link ConfigError} listing every problem found (each one sentence).
 */
export function loadPlatform(input: unknown): Platform {
  const parsed = platformSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(problemsFromZod(input, parsed.error));
  const problems = checkPlatform(parsed.data);
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed.data;
}

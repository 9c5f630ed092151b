// The secrets a run holds, found before anything else, so that no line it prints can carry one.
import { parseArgs } from 'node:util';

/**
 * Every secret the command line or the environment holds, whichever wins, so that no output
 * can carry one. Read leniently, before strict parsing, so a usage error cannot print one.
 */
export function secretsIn(args: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const secrets = [env.SAKARI_TOKEN, env.SAKARI_CLIENT_SECRET];
  try {
    const { values } = parseArgs({
      args: [...args],
      options: {
        token: { type: 'string', multiple: true },
        'client-secret': { type: 'string', multiple: true },
      },
      strict: false,
      allowPositionals: true,
    });
    for (const value of [values.token, values['client-secret']].flat()) {
      if (typeof value === 'string') secrets.push(value);
    }
  } catch {
    // Lenient parsing does not throw on user input; nothing to collect if it does.
  }
  return secrets.filter((s): s is string => typeof s === 'string' && s !== '');
}

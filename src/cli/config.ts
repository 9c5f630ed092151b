// Where the CLI connects: flags and SAKARI_* variables (flags win) resolved into a client, or,
// when nothing at all is configured, into the sandbox started in this process.
import { createSakariClient, type SakariClient, type SakariClientOptions } from '../client.js';
import {
  AuthenticationError,
  SakariApiError,
  SakariConnectionError,
  SakariTimeoutError,
} from '../errors.js';
import type { ResponseInfo, RetryInfo } from '../transport.js';
import { integer, text, type Values } from './args.js';
import type { Failure, Input, Outcome } from './command.js';
import { asUsage, UsageError } from './errors.js';
import { count } from './text.js';

/** How many messages the built-in sandbox holds, and its seed: what `npm start` shows. */
export const EMBEDDED = { messages: 2_500, seed: 1 } as const;

const ENV = {
  account: 'SAKARI_ACCOUNT_ID',
  'client-id': 'SAKARI_CLIENT_ID',
  'client-secret': 'SAKARI_CLIENT_SECRET',
  token: 'SAKARI_TOKEN',
  'base-url': 'SAKARI_BASE_URL',
} as const;

/** A value and where it came from (`--account` or `SAKARI_ACCOUNT_ID`), to name it in errors. */
interface Setting {
  readonly value: string;
  readonly source: string;
}

function setting(
  values: Values,
  env: NodeJS.ProcessEnv,
  name: keyof typeof ENV,
): Setting | undefined {
  const fromFlag = text(values, name);
  if (fromFlag !== undefined) return { value: fromFlag, source: `--${name}` };
  const fromEnv = env[ENV[name]];
  // An empty variable counts as unset, as shells make it easy to export one by accident.
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, source: ENV[name] };
  return undefined;
}

/** What the client needs from the command that opens it. */
export interface OpenOptions {
  /** The client's `onRetry`. */
  readonly onRetry: (info: RetryInfo) => void;
  /** Prints a line on stderr (the notice that the built-in sandbox is used). */
  readonly note: (line: string) => void;
  /** The client's `onResponse` (`--validate`). */
  readonly onResponse?: ((info: ResponseInfo) => void) | undefined;
}

/** Resolved connection settings: either a remote account or the embedded sandbox. */
export interface Connection {
  /** True when nothing is configured and the sandbox runs in this process. */
  readonly embedded: boolean;
  /** Opens the client (starting the sandbox when embedded); `close` stops what was started. */
  open(options: OpenOptions): Promise<{ client: SakariClient; close(): Promise<void> }>;
  /** What to check after an API or connection error. */
  hint(error: unknown): string | undefined;
}

/**
 * Reads the connection, opens a client, and runs `body` with it; whatever was started is
 * stopped after. A failure comes back with what to check about the connection.
 */
export async function withClient(
  input: Input,
  hooks: Pick<OpenOptions, 'onRetry' | 'onResponse'>,
  body: (client: SakariClient, connection: Connection) => Promise<Outcome>,
): Promise<Outcome> {
  const connection = readConnection(input.values, input.io.env);
  input.signal.throwIfAborted();
  const { client, close } = await connection.open({ ...hooks, note: input.note });
  let outcome: Outcome;
  try {
    outcome = await body(client, connection);
  } catch (error) {
    outcome = { error };
  } finally {
    await close();
  }
  if (!('error' in outcome)) return outcome;
  const failure: Failure = outcome;
  return { ...failure, hint: connection.hint(failure.error) };
}

/**
 * Reads the connection flags and variables. Throws a `UsageError` for a partial configuration
 * (an account without credentials, a client id without its secret…): a half-configured
 * environment must not silently fall back to sample data. Creating the client checks every
 * value, so a bad one fails here, before any request.
 */
export function readConnection(values: Values, env: NodeJS.ProcessEnv): Connection {
  const account = setting(values, env, 'account');
  const baseUrl = setting(values, env, 'base-url');
  const token = setting(values, env, 'token');
  const clientId = setting(values, env, 'client-id');
  const clientSecret = setting(values, env, 'client-secret');
  const timeoutMs = integer('--timeout', text(values, 'timeout'), 1, 600_000);
  const maxRetries = integer('--retries', text(values, 'retries'), 0, 10);
  const tuning = { timeoutMs, maxRetries };
  // The flag or variable behind each client option, so that a bad value is named as given.
  const fields: Record<string, string> = { timeoutMs: '--timeout', maxRetries: '--retries' };

  if (!account && !baseUrl && !token && !clientId && !clientSecret) {
    return embedded(tuning);
  }

  // Flags win over the environment, field by field; a token and client credentials given as
  // flags together are ambiguous; in the environment alone, the token wins.
  const byFlag = (s: Setting | undefined) => s?.source.startsWith('--') === true;
  const credentialsByFlag = byFlag(clientId) || byFlag(clientSecret);
  if (byFlag(token) && credentialsByFlag) {
    throw new UsageError('give either --token or --client-id and --client-secret, not both');
  }
  const t = token && (byFlag(token) || !credentialsByFlag) ? token : undefined;
  const [id, secret] = [clientId, clientSecret];
  let auth: SakariClientOptions['auth'];
  let authSources: { kind: 'token' | 'credentials'; sources: string };
  if (t) {
    auth = { token: t.value };
    authSources = { kind: 'token', sources: t.source };
    fields['auth.token'] = t.source;
  } else if (id && secret) {
    auth = { clientId: id.value, clientSecret: secret.value };
    authSources = { kind: 'credentials', sources: `${id.source} / ${secret.source}` };
    fields['auth.clientId'] = id.source;
    fields['auth.clientSecret'] = secret.source;
  } else if (id || secret) {
    const missing = id
      ? '--client-secret (or SAKARI_CLIENT_SECRET)'
      : '--client-id (or SAKARI_CLIENT_ID)';
    throw new UsageError(
      `${missing} is missing: client credentials need both the id and the secret`,
    );
  } else {
    throw new UsageError(
      'no credentials: set SAKARI_CLIENT_ID and SAKARI_CLIENT_SECRET (or SAKARI_TOKEN); unset every SAKARI_* variable to use the built-in sandbox',
    );
  }
  if (!account) {
    throw new UsageError('no account: set SAKARI_ACCOUNT_ID (or pass --account)');
  }
  fields.accountId = account.source;
  if (baseUrl) fields.baseUrl = baseUrl.source;

  const options: SakariClientOptions = {
    accountId: account.value,
    auth,
    ...(baseUrl ? { baseUrl: baseUrl.value } : {}),
    ...defined(tuning),
  };
  // Checks every value now; the client made for the run is the same but for its hooks.
  asUsage(fields, () => createSakariClient(options));

  return {
    embedded: false,
    async open({ onRetry, onResponse }) {
      return {
        client: createSakariClient({ ...options, onRetry, ...defined({ onResponse }) }),
        close: async () => {},
      };
    },
    hint(error) {
      if (error instanceof AuthenticationError) {
        return authSources.kind === 'token'
          ? `check ${authSources.sources}: the token may be wrong or expired`
          : `check ${authSources.sources}`;
      }
      if (error instanceof SakariApiError && error.status === 403) {
        return `check that these credentials may use the account in ${account.source}`;
      }
      if (error instanceof SakariApiError && error.code === 'ACCT-001')
        return `check ${account.source}`;
      if (error instanceof SakariTimeoutError) return 'the API is slow to answer: raise --timeout';
      if (error instanceof SakariConnectionError) {
        return baseUrl ? `check ${baseUrl.source} and your network` : 'check your network';
      }
      return undefined;
    },
  };
}

function embedded(tuning: {
  timeoutMs: number | undefined;
  maxRetries: number | undefined;
}): Connection {
  return {
    embedded: true,
    async open({ onRetry, onResponse, note }) {
      // Loaded only here: a command pointed at Sakari never loads the sandbox.
      const { startSandbox } = await import('../sandbox/index.js');
      const sandbox = await startSandbox({ messages: EMBEDDED.messages, seed: EMBEDDED.seed });
      // Always said, even in a pipe: it is one line on stderr, and sample data mistaken for an
      // account's (a cron job whose variables went missing) is worse than a line in a log.
      note(
        `sakari: no SAKARI_* settings, so using the built-in sandbox (${count(EMBEDDED.messages)} sample messages at ${sandbox.url}); see 'sakari --help' to use your account`,
      );
      const client = createSakariClient({
        baseUrl: sandbox.url,
        accountId: sandbox.accountId,
        auth: { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
        ...defined(tuning),
        onRetry,
        ...defined({ onResponse }),
      });
      return { client, close: () => sandbox.close() };
    },
    hint: () => undefined,
  };
}

function defined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(object).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

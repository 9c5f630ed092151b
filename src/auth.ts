/**
 * Token sources: a static bearer token, or client credentials exchanged at `POST /oauth2/token`
 * for a JWT that is cached until shortly before its `exp` (the API documents no `expires_in`).
 */

/** How the transport gets and renews the bearer token. */
export interface Authorizer {
  /** The token for the next attempt: at once when one is at hand, else once it is fetched. */
  token(): string | Promise<string>;
  /** Called after a 401 with the token that failed; true when a fresh one is worth a retry. */
  rejected(token: string): boolean;
}

/** A bearer token you already have. It is sent as is and never refreshed. */
export interface TokenAuth {
  /** The bearer token. */
  token: string;
}

/** The client id and secret of the Sakari hub's API settings, exchanged for tokens as needed. */
export interface ClientCredentialsAuth {
  /** Client id from the hub's API settings. */
  clientId: string;
  /** Client secret from the hub's API settings. Never logged, never part of an error. */
  clientSecret: string;
}

/** How the client authenticates. */
export type AuthOptions = TokenAuth | ClientCredentialsAuth;

/** Refresh this long before `exp` at the most… */
const REFRESH_MARGIN_MS = 60_000;

export function staticToken(token: string): Authorizer {
  return {
    token: () => token,
    // Nothing to refresh: a 401 is final.
    rejected: () => false,
  };
}

/** Reads the `exp` claim (seconds) of a JWT without verifying it; undefined when there is none. */
export function jwtExpiry(token: string): number | undefined {
  try {
    // The payload, base64url to base64 (atob needs no padding). A token that is no JWT fails
    // somewhere here: it has no payload, or no base64 or JSON in it.
    const payload = token.split('.')[1] as string;
    const claims: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    const exp = (claims as { exp?: unknown })?.exp;
    return Number.isFinite(exp) ? (exp as number) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Client credentials with a cached token. Concurrent callers share one exchange (single
 * flight); the exchange itself runs without any caller's signal, so one caller giving up does
 * not fail the others.
 */
export function clientCredentials(
  exchange: () => Promise<string>,
  now: () => number = Date.now,
): Authorizer & { readonly exchanges: number } {
  let current: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  let exchanges = 0;

  return {
    get exchanges() {
      return exchanges;
    },
    token() {
      if (current && now() < current.refreshAt) return current.token;
      // Refresh, or join the refresh already under way.
      inflight ??= (async () => {
        exchanges++;
        try {
          const token = await exchange();
          // No `exp`: kept until a 401.
          const expiresAt = jwtExpiry(token) ?? Infinity;
          // A short-lived token (as in tests) would be refreshed on every call with a fixed
          // 60 s margin, so the margin is at most half the token's lifetime.
          const margin = Math.min(REFRESH_MARGIN_MS, (expiresAt - now()) / 2);
          current = { token, refreshAt: expiresAt - margin };
          return token;
        } finally {
          inflight = undefined;
        }
      })();
      return inflight;
    },
    rejected(token) {
      // Drop the token only if it is still the current one: a concurrent call may already
      // have replaced it, and its replacement deserves a try.
      if (current?.token === token) current = undefined;
      return true;
    },
  };
}

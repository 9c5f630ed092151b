// Bearer tokens: JWTs signed with HMAC-SHA256 under a key that lives as long as the sandbox.
// Sakari documents no `expires_in`; its tokens carry an `exp` claim, which clients decode. `exp`
// has whole seconds only, so the token also carries `exp_ms`, the exact expiry the sandbox
// enforces: a one-second TTL in a test then means one second, not up to two.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The outcome of checking a bearer token. */
export type TokenCheck = 'valid' | 'invalid' | 'expired';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export class TokenIssuer {
  readonly #key = randomBytes(32);
  #serial = 0;
  // Tokens with a lower serial were revoked by expireAll().
  #firstValidSerial = 1;

  /** A token for `accountId`, valid for `ttlSeconds` (fractions allowed) from now. */
  issue(accountId: string, clientId: string, ttlSeconds: number): string {
    this.#serial += 1;
    const nowMs = Date.now();
    const expMs = Math.round(nowMs + ttlSeconds * 1000);
    const payload = {
      iss: 'sakari-sandbox',
      sub: accountId,
      client_id: clientId,
      scope: 'messages:send',
      iat: Math.floor(nowMs / 1000),
      // Rounded down, so a client that trusts `exp` refreshes before the sandbox refuses.
      exp: Math.floor(expMs / 1000),
      exp_ms: expMs,
      jti: String(this.#serial),
    };
    const body = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${body}.${this.#sign(body)}`;
  }

  /** Checks the signature, the revocation serial and the exact expiry. */
  check(token: string, accountId: string): TokenCheck {
    const parts = token.split('.');
    if (parts.length !== 3) return 'invalid';
    const [header, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.#sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    let claims: { sub?: unknown; exp_ms?: unknown; jti?: unknown };
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return 'invalid';
    }
    if (claims.sub !== accountId || typeof claims.exp_ms !== 'number') return 'invalid';
    if (Number(claims.jti) < this.#firstValidSerial) return 'expired';
    return Date.now() < claims.exp_ms ? 'valid' : 'expired';
  }

  /** Makes every token issued so far expired. */
  expireAll(): void {
    this.#firstValidSerial = this.#serial + 1;
  }

  #sign(data: string): string {
    return createHmac('sha256', this.#key).update(data).digest('base64url');
  }
}

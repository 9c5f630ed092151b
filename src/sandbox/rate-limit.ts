// Request rate limiting as a token bucket: a burst of up to one second's worth of requests is
// allowed, then requests are admitted at the steady rate. Sakari publishes no numbers, so the
// rate is whatever the test sets.

export class TokenBucket {
  readonly ratePerSecond: number;
  #tokens: number;
  #refilledAt: number;

  constructor(ratePerSecond: number) {
    this.ratePerSecond = ratePerSecond;
    this.#tokens = Math.max(1, ratePerSecond);
    this.#refilledAt = performance.now();
  }

  /**
   * Takes one token. Returns 0 when the request may go ahead, otherwise the whole seconds (at
   * least 1) to wait before a token is available, for the `Retry-After` header.
   */
  take(): number {
    const nowMs = performance.now();
    const capacity = Math.max(1, this.ratePerSecond);
    const elapsed = Math.max(0, nowMs - this.#refilledAt) / 1000;
    this.#tokens = Math.min(capacity, this.#tokens + elapsed * this.ratePerSecond);
    this.#refilledAt = nowMs;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.#tokens) / this.ratePerSecond));
  }
}

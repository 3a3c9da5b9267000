import { MembershipInternal, type MemberBenefits } from '@emporium/contracts';
import { InvocationError, type Logger, type Sidecar } from '@emporium/kit';

/**
 * What a signed-in buyer's membership brings to a quote, asked of membership
 * on every quote (points change with every order). Membership is optional on
 * the shopper's path: it gets `timeoutMs` to answer, and when it does not, the
 * quote goes on without benefits and membership is not asked again for
 * `retryAfterMs` (a quote must not wait on a service that is down, nor pay the
 * timeout on every request while it is). Points cannot be spent meanwhile:
 * the quote refuses them with 503 rather than guess a balance.
 */
export class MemberTerms {
  private downUntil = 0;

  constructor(
    private readonly sidecar: Sidecar,
    private readonly logger: Logger,
    private readonly opts: { timeoutMs: number; retryAfterMs: number },
  ) {}

  /** The buyer's terms, or null when membership cannot say now. */
  async of(userId: string): Promise<MemberBenefits | null> {
    if (Date.now() < this.downUntil) return null;
    try {
      return await this.sidecar.call(MembershipInternal.memberBenefits, { params: { userId } }, { timeoutMs: this.opts.timeoutMs });
    } catch (err) {
      // a refusal of this buyer (4xx) is an answer; anything else is membership being away
      if (err instanceof InvocationError && err.status >= 400 && err.status < 500) {
        this.logger.warn({ err, userId }, 'membership refused a buyer’s terms: quoted without benefits');
        return null;
      }
      this.downUntil = Date.now() + this.opts.retryAfterMs;
      this.logger.warn({ err, retryAfterMs: this.opts.retryAfterMs }, 'membership did not answer in time: quotes go without member benefits for a while');
      return null;
    }
  }
}

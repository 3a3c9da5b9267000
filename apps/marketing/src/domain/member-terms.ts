import { MembershipInternal, type MemberBenefits } from '@emporium/contracts';
import { InvocationError, type Logger, type Sidecar } from '@emporium/kit';

/**
 * What a signed-in buyer's membership brings to a quote, asked of membership
 * on every quote (points change with every order). Membership is optional on
 * the shopper's path: it gets `timeoutMs` to answer, and when it does not, the
 * quote goes on without benefits and membership is not asked again for
 * `retryAfterMs` (a quote must not wait on a service that is down, nor pay the
 * timeout on every request while it is). A quote that spends points cannot go
 * on without membership, so it asks even then (`needed`): one slow answer on a
 * busy machine must not refuse every points checkout for the next 30 s. When
 * membership does not answer it either, the quote refuses the points with 503
 * rather than guess a balance.
 */
export class MemberTerms {
  private downUntil = 0;

  constructor(
    private readonly sidecar: Sidecar,
    private readonly logger: Logger,
    private readonly opts: { timeoutMs: number; retryAfterMs: number },
  ) {}

  /** The buyer's terms, or null when membership cannot say now; `needed`: asked even while membership is thought away. */
  async of(userId: string, needed = false): Promise<MemberBenefits | null> {
    if (!needed && Date.now() < this.downUntil) return null;
    try {
      const terms = await this.sidecar.call(MembershipInternal.memberBenefits, { params: { userId } }, { timeoutMs: this.opts.timeoutMs });
      // it answers again: every quote asks it again
      this.downUntil = 0;
      return terms;
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

import 'server-only';
import { cancelReasonText } from '@emporium/contracts';
import type { Locale } from '@/i18n/routing';
import { pick } from './format';

/**
 * Why an order ended unpaid, in the page's language when the platform knows
 * the reason (contracts' CancelReasons), else as given. Apart from format.ts,
 * which client components import: this one loads the contracts package.
 */
export function cancelReason(reason: string, locale: Locale): string {
  const text = cancelReasonText(reason);
  return typeof text === 'string' ? text : pick(text, locale);
}

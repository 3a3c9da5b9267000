import pino, { type Logger } from 'pino';
import { currentTrace } from './trace-context';

export type { Logger };

/** JSON logs; every line made inside a request carries `traceId`. */
export function createLogger(opts: { service: string; level?: string; file?: string }): Logger {
  const destination = opts.file ? pino.destination({ dest: opts.file, mkdir: true, sync: false }) : undefined;
  return pino({
    level: opts.level ?? 'info',
    base: { service: opts.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const trace = currentTrace();
      return trace ? { traceId: trace.traceId } : {};
    },
  }, destination ?? pino.destination(1));
}

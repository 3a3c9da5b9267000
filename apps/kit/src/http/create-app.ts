import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from '../logger';
import { parseTraceparent, runWithTrace } from '../trace-context';
import { mountHealth, type ReadinessProbe } from './health';
import { notFoundHandler, problemHandler } from './problem';
import { UnauthenticatedError } from '../errors';
import type { Metrics } from './metrics';
import { boundedJson, defaultInputLimits, requireJsonBodies, type InputLimits } from './json-body';

export { rawBodyOf } from './json-body';

export interface AppOptions {
  logger: Logger;
  /** The service's own routes. */
  routes?: Router[];
  /** Routes the sidecar calls (subscriptions, actors). */
  daprRoutes?: Router[];
  readiness?: () => readonly ReadinessProbe[];
  /** When set, every call but the health checks must carry it as `dapr-api-token`. */
  appApiToken?: string | undefined;
  /** What a JSON body may be at most; each key defaults to defaultInputLimits. */
  inputLimits?: Partial<InputLimits>;
  metrics?: Metrics;
}

const traceMiddleware: RequestHandler = (req, _res, next) => {
  runWithTrace(parseTraceparent(req.get('traceparent'), req.get('tracestate')), next);
};

function requestLog(logger: Logger, metrics?: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // the route template, not the path, so ids do not explode the label set
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      metrics?.requestSeconds.observe({ method: req.method, route: `${req.baseUrl}${route}`, status: String(res.statusCode) }, ms / 1000);
      const quiet = req.path === '/healthz' || req.path === '/readyz';
      logger[quiet ? 'debug' : 'info']({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}

/** Builds a service's Express app from its parts. It never listens: see runService. */
export function createApp(opts: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(traceMiddleware);
  app.use(requestLog(opts.logger, opts.metrics));
  const health = express.Router();
  mountHealth(health, opts.readiness ?? (() => []));
  app.use(health);
  if (opts.metrics) app.use(opts.metrics.router());
  if (opts.appApiToken) {
    const token = opts.appApiToken;
    app.use((req, _res, next) => {
      if (req.get('dapr-api-token') !== token) throw new UnauthenticatedError('missing or wrong dapr-api-token');
      next();
    });
  }
  const refusals = opts.metrics?.counter('http_server_input_refusals_total', 'Request bodies refused before any route read them, by the limit passed', ['limit']);
  app.use(boundedJson({ ...defaultInputLimits, ...opts.inputLimits }, refusals));
  for (const r of opts.daprRoutes ?? []) app.use(r);
  app.use(requireJsonBodies);
  for (const r of opts.routes ?? []) app.use(r);
  app.use(notFoundHandler);
  app.use(problemHandler(opts.logger));
  return app;
}

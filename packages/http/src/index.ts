export { ErrorBody } from './error-body.js';
export { errorHandlerPlugin } from './error-handler.js';
export {
  AppError,
  BadRequest,
  Conflict,
  Forbidden,
  NotFound,
  PayloadTooLarge,
  PreconditionFailed,
  PreconditionRequired,
  ServiceUnavailable,
  TenantMigrating,
  Unauthorized,
  UnsupportedMediaType,
} from './errors.js';
export { type HealthOptions, healthPlugin, type ReadinessCheck } from './health.js';
export { isoTimeOf } from './iso-time.js';
export {
  BatchedLines,
  createLogger,
  LOG_FLUSH_MS,
  logDestination,
  loggerOptions,
  pathOnly,
  REDACT_PATHS,
} from './logger.js';
export {
  type AppCounter,
  appCounter,
  type MetricsListener,
  type MetricsListenOptions,
  type MetricsRegistry,
  metricsPlugin,
  RequestDurations,
  scrapedCounter,
  scrapedGauge,
  startMetricsListener,
} from './metrics.js';
export { type ServeOptions, serve } from './serve.js';
export { createServiceApp, type ServiceApp, type ServiceAppOptions } from './service-app.js';

export { type CreateServiceAppOptions, createServiceApp } from './app.js';
export { type ErrorBody, errorHandlerPlugin } from './error-handler.plugin.js';
export { type NatsPluginOptions, natsPlugin } from './nats.plugin.js';
export { type PostgresPluginOptions, postgresPlugin } from './postgres.plugin.js';
export { type CheckResult, type ReadinessCheck, readinessPlugin } from './readiness.plugin.js';
export { packageVersion, type RunnableConfig, runService } from './run-service.js';

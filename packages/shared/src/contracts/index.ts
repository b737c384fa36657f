export * from './common.js';
export * from './events.js';
export * from './jobs.js';
export * from './rpc.js';

export * from './connection.js';
export * from './events.js';
export * from './jobs.js';
export * from './rpc.js';
export * from './stores.js';
export * from './streams.js';
export * from './subjects.js';
export * from './validation.js';

// NATS request/reply contracts of the registry service.
export {};

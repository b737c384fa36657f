// NATS request/reply contracts of the auth service.
export {};

// NATS request/reply contracts of the sales service.
export {};

// NATS request/reply contracts of the storage service.
export {};

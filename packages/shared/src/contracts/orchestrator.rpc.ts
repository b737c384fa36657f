// NATS request/reply contracts of the orchestrator service.
export {};

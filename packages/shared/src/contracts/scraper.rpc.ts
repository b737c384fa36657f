// NATS request/reply contracts of the scraper service.
export {};

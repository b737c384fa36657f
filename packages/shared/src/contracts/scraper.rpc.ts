// NATS request/reply contracts of the scraper service.
// The scraper is driven by events (`sobrus.clients.refresh.requested`, `sobrus.statements.refresh.requested`)
// and reports through the job store; it answers no request of its own besides `rpc.health.scraper`.
export {};

import { EVENTS, STREAMS } from '@pharma/shared/messaging';

/** An AsyncAPI 2.6 document of every JetStream subject, generated from the same schemas the services validate with. */
export function asyncApiDocument(version: string) {
  const channels = Object.fromEntries(
    Object.entries(EVENTS).map(([subject, definition]) => [
      subject,
      {
        description: `${definition.description}. Stream ${definition.stream} (${STREAMS[definition.stream].subjects.join(', ')}).`,
        subscribe: {
          operationId: subject.replaceAll('.', '_'),
          message: {
            name: subject,
            contentType: 'application/json',
            headers: {
              type: 'object',
              properties: {
                'Nats-Msg-Id': { type: 'string', description: 'Natural key: a re-published message has one effect' },
                'Correlation-Id': { type: 'string', description: 'Follows a job across services' },
              },
            },
            payload: definition.schema,
          },
        },
      },
    ]),
  );
  return {
    asyncapi: '2.6.0',
    info: {
      title: 'Pharma data platform events',
      version,
      description: 'JetStream subjects of the platform. Payloads change only additively.',
    },
    defaultContentType: 'application/json',
    servers: { nats: { url: 'nats://localhost:4222', protocol: 'nats' } },
    channels,
  };
}

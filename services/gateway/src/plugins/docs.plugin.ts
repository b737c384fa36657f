import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { asyncApiDocument } from '../services/asyncapi.service.js';

/** OpenAPI from the route schemas at /docs (UI) and /docs/json; AsyncAPI of the NATS events beside it. */
export const docsPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Pharma data platform API',
          version: app.service.version,
          description: 'REST API of the gateway. Events published on NATS: /docs/asyncapi.json',
        },
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer' },
            cookie: { type: 'apiKey', in: 'cookie', name: 'pharma_session' },
          },
        },
        security: [{ bearer: [] }, { cookie: [] }],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    const asyncApi = asyncApiDocument(app.service.version);
    app.get('/docs/asyncapi.json', { schema: { hide: true } }, async () => asyncApi);
  },
  { name: 'docs' },
);

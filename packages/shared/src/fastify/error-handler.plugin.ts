import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors/index.js';

export interface ErrorBody {
  code: string;
  message: string;
  fields?: string[];
  requestId?: string;
}

/** `{ code, message }` for 4xx (with the failing fields on validation errors), a generic body for 5xx. */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
      const requestId = String(request.id);
      if ('validation' in error && error.validation) {
        const fields = error.validation.map((v) => {
          const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
          const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
          return [path, missing].filter(Boolean).join('.') || (error.validationContext ?? 'body');
        });
        const body: ErrorBody = { code: 'VALIDATION_FAILED', message: error.message, fields, requestId };
        return reply.status(400).send(body);
      }
      const status = error instanceof AppError ? error.statusCode : ((error as FastifyError).statusCode ?? 500);
      if (status < 500) {
        const code = error instanceof AppError ? error.code : ((error as FastifyError).code ?? 'BAD_REQUEST');
        return reply.status(status).send({ code, message: error.message, requestId } satisfies ErrorBody);
      }
      request.log.error({ err: error }, 'request failed');
      const exposed = error instanceof AppError && error.expose;
      const body: ErrorBody = {
        code: error instanceof AppError ? error.code : 'INTERNAL',
        message: exposed ? error.message : 'Internal error',
        requestId,
      };
      return reply.status(status).send(body);
    });
    app.setNotFoundHandler((request, reply) =>
      reply.status(404).send({
        code: 'NOT_FOUND',
        message: `No route ${request.method} ${request.url}`,
        requestId: String(request.id),
      }),
    );
  },
  { name: 'error-handler' },
);

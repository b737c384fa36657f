import type { Readable } from 'node:stream';
import { Job } from '@pharma/shared/contracts';
import { Type } from '@sinclair/typebox';

export const ErrorBody = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    fields: Type.Optional(Type.Array(Type.String())),
    requestId: Type.Optional(Type.String()),
  },
  { $id: 'ErrorBody' },
);

/**
 * Who is calling: a pharmacy (its Sobrus e-mail) or a staff account. The gateway's own view of the auth service's
 * principal (its `id` and `email` may be missing when another `AuthClient` stands in for the service).
 */
export const PrincipalBody = Type.Object({
  kind: Type.Union([Type.Literal('pharmacy'), Type.Literal('staff')]),
  /** Owner key of jobs and data: the pharmacy e-mail, or the staff account e-mail. */
  owner: Type.String(),
  role: Type.Union([Type.Literal('pharmacy'), Type.Literal('ops'), Type.Literal('admin')]),
  /** Set for pharmacies: the only pharmacy whose data the caller may see. */
  pharmacyId: Type.Optional(Type.String()),
  /** Stable id and e-mail of the account, when the auth service gives them. */
  id: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
});

/** Path of the routes about one job. */
export const JobParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

/** 202 answer of every long action: follow the job at /api/jobs/:id or its SSE stream. */
export const JobAccepted = Type.Object({ jobId: Type.String(), job: Job });

const errors = (codes: number[]) => Object.fromEntries(codes.map((code) => [code, ErrorBody]));

/** Error responses of an authenticated route (validation, no session, wrong role, dependency down). */
export const authErrors = errors([400, 401, 403, 503]);
export const authErrorsWith404 = errors([400, 401, 403, 404, 503]);
export const Paging = {
  offset: Type.Integer({ minimum: 0, default: 0 }),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
};
export const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });

/**
 * A file answered as bytes (a stream or a buffer, which Fastify sends as they are): the document says a string,
 * the handler's type says what it sends.
 */
export const FileBody = (description: string) => Type.Unsafe<Readable | Buffer>(Type.String({ description }));

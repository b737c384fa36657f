import { errors, type Msg, headers as natsHeaders, type Subscription } from '@nats-io/nats-core';
import type { Static, TSchema } from '@sinclair/typebox';
import { AppError, toError, UnavailableError } from '../errors/index.js';
import { currentCorrelationId, type Log as Logger, withCorrelationId } from '../logger/index.js';
import { platformMetrics } from '../metrics/index.js';
import type { NatsContext } from './connection.js';
import { validatorFor } from './validation.js';

export interface RpcDefinition<Req extends TSchema = TSchema, Res extends TSchema = TSchema> {
  subject: string;
  request: Req;
  response: Res;
  description: string;
}

export function defineRpc<Req extends TSchema, Res extends TSchema>(
  definition: RpcDefinition<Req, Res>,
): RpcDefinition<Req, Res> {
  return definition;
}

// `expose` (added later, optional): the answering service chose to show this 5xx message to users.
type Reply<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; statusCode: number; expose?: boolean } };

/** The service asked did not answer in time. */
export class RpcTimeoutError extends UnavailableError {
  constructor(subject: string, timeoutMs: number) {
    super('RPC_TIMEOUT', `No answer on ${subject} within ${timeoutMs} ms`);
  }
}

/** Nobody listens on the subject: the service is down. */
export class RpcNoRespondersError extends UnavailableError {
  constructor(subject: string) {
    super('RPC_NO_RESPONDERS', `No service is answering on ${subject}`);
  }
}

/** The remote service answered with an error; its code, status and whether users may see it travel unchanged. */
export class RpcRemoteError extends AppError {
  constructor(code: string, message: string, statusCode: number, expose = statusCode < 500) {
    super(code, message, { statusCode, expose, retryable: statusCode >= 500 });
  }
}

export interface RequestOptions {
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** Sent as the `Correlation-Id` header; defaults to the id of the work in progress. */
  correlationId?: string;
}

export async function requestRpc<Req extends TSchema, Res extends TSchema>(
  ctx: NatsContext,
  rpc: RpcDefinition<Req, Res>,
  payload: Static<Req>,
  { timeoutMs = 5_000, headers = {}, correlationId = currentCorrelationId() }: RequestOptions = {},
): Promise<Static<Res>> {
  validatorFor(rpc.request).assert(payload, `request on ${rpc.subject}`);
  const subject = ctx.subject(rpc.subject);
  const sent = natsHeaders();
  for (const [name, value] of Object.entries(headers)) sent.set(name, value);
  if (correlationId) sent.set('Correlation-Id', correlationId);
  let msg: Msg;
  try {
    msg = await ctx.nc.request(subject, JSON.stringify(payload), { timeout: timeoutMs, headers: sent });
  } catch (error) {
    throw mapRequestError(error, rpc.subject, timeoutMs);
  }
  const reply = msg.json<Reply<Static<Res>>>();
  if (!reply.ok) {
    const { code, message, statusCode, expose } = reply.error;
    throw new RpcRemoteError(code, message, statusCode, expose);
  }
  validatorFor(rpc.response).assert(reply.data, `reply on ${rpc.subject}`);
  return reply.data;
}

function mapRequestError(error: unknown, subject: string, timeoutMs: number): Error {
  if (error instanceof errors.NoRespondersError) return new RpcNoRespondersError(subject);
  if (error instanceof errors.TimeoutError) return new RpcTimeoutError(subject, timeoutMs);
  if (error instanceof errors.RequestError) {
    if (error.isNoResponders()) return new RpcNoRespondersError(subject);
    const cause = error.cause;
    if (cause instanceof errors.TimeoutError) return new RpcTimeoutError(subject, timeoutMs);
  }
  return new UnavailableError('RPC_FAILED', `Request on ${subject} failed: ${toError(error).message}`, error);
}

export interface ServeRpcOptions<Req extends TSchema, Res extends TSchema> {
  logger: Logger;
  handler: (request: Static<Req>, msg: Msg) => Promise<Static<Res>> | Static<Res>;
  /** Instances of one service share requests through a queue group. */
  queue?: string;
}

/**
 * Answers requests on a subject; validation failures and thrown AppErrors become typed error replies. The handler
 * runs under the request's `Correlation-Id`.
 */
export function serveRpc<Req extends TSchema, Res extends TSchema>(
  ctx: NatsContext,
  rpc: RpcDefinition<Req, Res>,
  { logger, handler, queue }: ServeRpcOptions<Req, Res>,
): Subscription {
  const requestValidator = validatorFor(rpc.request);
  const responseValidator = validatorFor(rpc.response);
  const seconds = platformMetrics.rpcSeconds();
  return ctx.nc.subscribe(ctx.subject(rpc.subject), {
    queue: queue ?? rpc.subject,
    callback: (error, msg) => {
      if (error) {
        logger.error({ err: error, subject: rpc.subject }, 'rpc subscription failed');
        return;
      }
      void withCorrelationId(msg.headers?.get('Correlation-Id') || undefined, () => answer(msg));
    },
  });

  async function answer(msg: Msg): Promise<void> {
    const timer = seconds.startTimer({ subject: rpc.subject });
    let reply: Reply<Static<Res>>;
    try {
      const request = requestValidator.assert(parseJson(msg), `request on ${rpc.subject}`);
      const data = await handler(request, msg);
      responseValidator.assert(data, `reply on ${rpc.subject}`);
      reply = { ok: true, data };
    } catch (thrown) {
      const error = toError(thrown);
      if (error instanceof AppError && error.statusCode < 500) {
        reply = { ok: false, error: { code: error.code, message: error.message, statusCode: error.statusCode } };
      } else {
        logger.error({ err: error, subject: rpc.subject }, 'rpc handler failed');
        const statusCode = error instanceof AppError ? error.statusCode : 500;
        const code = error instanceof AppError ? error.code : 'INTERNAL';
        const expose = error instanceof AppError && error.expose;
        reply = { ok: false, error: { code, message: expose ? error.message : 'Internal error', statusCode, expose } };
      }
    }
    timer({ outcome: reply.ok ? 'ok' : String(reply.error.statusCode) });
    if (msg.reply) msg.respond(JSON.stringify(reply));
  }
}

function parseJson(msg: Msg): unknown {
  try {
    return msg.json();
  } catch {
    return undefined;
  }
}

import { Type } from '@sinclair/typebox';
import { defineRpc } from '../messaging/rpc.js';

export const ServiceHealth = Type.Object({
  service: Type.String(),
  version: Type.String(),
  status: Type.Union([Type.Literal('up'), Type.Literal('degraded')]),
  uptimeS: Type.Number(),
  checks: Type.Record(Type.String(), Type.Object({ ok: Type.Boolean(), message: Type.Optional(Type.String()) })),
});

/** Each service answers on `rpc.health.<service>`. */
export const healthRpc = (service: string) =>
  defineRpc({
    subject: `rpc.health.${service}`,
    request: Type.Object({}),
    response: ServiceHealth,
    description: `Liveness and dependency checks of ${service}`,
  });

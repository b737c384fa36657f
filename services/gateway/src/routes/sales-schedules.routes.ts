import {
  createSalesScheduleRpc,
  deleteSalesScheduleRpc,
  Id,
  listSalesSchedulesRpc,
  SalesSchedule,
} from '@pharma/shared/contracts';
import { requestRpc } from '@pharma/shared/messaging';
import { Type } from '@sinclair/typebox';
import type { RoutesPlugin } from './route-kit.js';
import { authErrors, authErrorsWith404 } from './schemas.js';

const { owner: _owner, ...ScheduleFields } = createSalesScheduleRpc.request.properties;

/** Recurring sales imports (sales-etl's saved schedules): list, create, delete. The owner is the caller. */
export const salesSchedulesRoutes: RoutesPlugin = async (app, options) => {
  app.get(
    '/api/sales/schedules',
    {
      preValidation: app.staffOnly,
      schema: {
        tags: ['sales'],
        summary: 'Saved recurring imports with their next run',
        response: { 200: listSalesSchedulesRpc.response, ...authErrors },
      },
    },
    async () => requestRpc(app.nats, listSalesSchedulesRpc, {}, options.rpc),
  );

  app.post(
    '/api/sales/schedules',
    {
      preValidation: app.staffOnly,
      schema: {
        tags: ['sales'],
        summary: 'Saves a recurring import (cron pattern, optional IANA time zone, CSV URLs)',
        body: Type.Object(ScheduleFields, { additionalProperties: false }),
        response: { 201: SalesSchedule, ...authErrors },
      },
    },
    async (request, reply) => {
      const schedule = await requestRpc(
        app.nats,
        createSalesScheduleRpc,
        { ...request.body, owner: request.principal?.owner },
        options.rpc,
      );
      return reply.status(201).send(schedule);
    },
  );

  app.delete(
    '/api/sales/schedules/:id',
    {
      preValidation: app.staffOnly,
      schema: {
        tags: ['sales'],
        summary: 'Stops and removes a recurring import (404 when unknown)',
        params: Type.Object({ id: Id }),
        response: { 204: Type.Null(), ...authErrorsWith404 },
      },
    },
    async (request, reply) => {
      await requestRpc(app.nats, deleteSalesScheduleRpc, { id: request.params.id }, options.rpc);
      return reply.status(204).send(null);
    },
  );
};

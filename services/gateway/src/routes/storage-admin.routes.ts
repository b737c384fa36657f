import { PharmacyId, StorageReplication, storageRestoreRpc, storageSyncNowRpc } from '@pharma/shared/contracts';
import { requestRpc } from '@pharma/shared/messaging';
import { Type } from '@sinclair/typebox';
import type { RoutesPlugin } from './route-kit.js';
import { authErrors } from './schemas.js';

const PharmacyParams = Type.Object({ pharmacyId: PharmacyId });

/**
 * An administrator's hold on a pharmacy's database replication (storage-sync): upload it to S3 now, or restore it
 * from S3 when the local file is older than the latest generation. Admin only: ops and pharmacies get 403.
 */
export const storageAdminRoutes: RoutesPlugin = async (app, options) => {
  const adminOnly = app.requireRole('admin');

  app.post(
    '/api/admin/pharmacies/:pharmacyId/sync-now',
    {
      preValidation: adminOnly,
      schema: {
        tags: ['admin'],
        summary: "Uploads a pharmacy's database to S3 now; answers the replication state after it",
        params: PharmacyParams,
        response: { 200: StorageReplication, ...authErrors },
      },
    },
    async (request) => requestRpc(app.nats, storageSyncNowRpc, request.params, options.rpc),
  );

  app.post(
    '/api/admin/pharmacies/:pharmacyId/restore',
    {
      preValidation: adminOnly,
      schema: {
        tags: ['admin'],
        summary: "Restores a pharmacy's database from S3 when the local file is older than the latest generation",
        params: PharmacyParams,
        response: { 200: storageRestoreRpc.response, ...authErrors },
      },
    },
    async (request) => requestRpc(app.nats, storageRestoreRpc, request.params, options.rpc),
  );
};

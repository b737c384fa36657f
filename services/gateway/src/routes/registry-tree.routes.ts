import { generateTreeRpc, TreeSpec } from '@pharma/shared/contracts';
import { requestRpc } from '@pharma/shared/messaging';
import { Type } from '@sinclair/typebox';
import type { RoutesPlugin } from './route-kit.js';
import { authErrors } from './schemas.js';

const TreeBody = Type.Object({ spec: TreeSpec }, { additionalProperties: false });

/**
 * The intake folder tree generator: a preview that writes nothing (what would be created, a sample of folders),
 * then the same spec applied. Generating is idempotent: existing folders are counted, not touched.
 */
export const registryTreeRoutes: RoutesPlugin = async (app, options) => {
  for (const [url, dryRun, summary] of [
    [
      '/api/registry/tree/preview',
      true,
      'What generating the tree would create: counts and the first folders; writes nothing',
    ],
    [
      '/api/registry/tree',
      false,
      'Creates the intake folder tree (and seeds expected reports unless seedExpected is false)',
    ],
  ] as const) {
    app.post(
      url,
      {
        preValidation: app.staffOnly,
        schema: {
          tags: ['registry'],
          summary,
          body: TreeBody,
          response: { 200: generateTreeRpc.response, ...authErrors },
        },
      },
      async (request) => requestRpc(app.nats, generateTreeRpc, { spec: request.body.spec, dryRun }, options.rpc),
    );
  }
};

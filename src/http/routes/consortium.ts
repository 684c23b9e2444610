import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getConsortium, updateConsortium } from '../../services/consortium';
import { sendResult } from '../errors';

const consortiumPatch = z
  .object({
    name: z.string().trim().min(1).max(200),
    targetingPolicy: z.enum(['random', 'balanced']),
    retargetAfterHours: z.number().int().min(1).max(24 * 60),
    maxOpenHoldsPerPatron: z.number().int().min(1).max(10000),
    bounceTransits: z.number().int().min(2).max(1000),
    bounceDays: z.number().int().min(1).max(365),
    courtesyNoticeDays: z.number().int().min(0).max(30),
  })
  .partial()
  .strict();

export async function consortiumRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get('/consortium', { schema: { tags: ['consortium'], summary: 'Consortium settings' } }, async (request, reply) =>
    sendResult(reply, await getConsortium(request.ctx())),
  );
  app.patch('/consortium', { schema: { tags: ['consortium'], summary: 'Change consortium settings', body: consortiumPatch } }, async (request, reply) =>
    sendResult(reply, await updateConsortium(request.ctx(), request.body)),
  );
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scanItem } from '../../services/circulation/scan';
import { sendResult } from '../errors';
import { barcode, libraryCode } from '../schemas/common';

const scanBody = z.object({ itemBarcode: barcode, libraryCode: libraryCode.optional() }).strict();

export async function circulationRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/circulation/scan',
    { schema: { tags: ['circulation'], summary: 'Scan an item at your library: check in, receive, capture for a hold or send on — one call', body: scanBody } },
    async (request, reply) => sendResult(reply, await scanItem(request.ctx(), request.body.itemBarcode, request.body.libraryCode)),
  );
}

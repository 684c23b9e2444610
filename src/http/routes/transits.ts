import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cancelTransit } from '../../services/circulation/cancel-transit';
import { sendResult } from '../errors';
import { barcodeParam, text } from '../schemas/common';

const cancelBody = z.object({ note: text(1, 1000).optional() }).strict();

export async function transitRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/items/:barcode/cancel-transit',
    {
      schema: {
        tags: ['circulation'],
        summary: 'Cancel the open transit of an item: it waits, not targetable, until its next scan routes it',
        params: barcodeParam,
        // a bare POST (no body at all) arrives as null: cancelling needs no note
        body: cancelBody.nullish(),
      },
    },
    async (request, reply) => sendResult(reply, await cancelTransit(request.ctx(), request.params.barcode, request.body?.note)),
  );
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ageProtections } from '../../domain/age-protection';
import { getItemScreen } from '../../services/item-screen';
import { createItem, settableStatuses, updateItem } from '../../services/items';
import { sendResult } from '../errors';
import { barcode, barcodeParam, libraryCode, plainDate, text } from '../schemas/common';

const ageProtection = z.enum(ageProtections, { message: 'age protection is none, 1m, 3m or 6m' });
const locationName = text(1, 100);

const newItem = z
  .object({
    recordId: z.number().int().positive().max(2147483647),
    libraryCode,
    callNumber: text(1, 200),
    barcode,
    location: locationName.optional(),
    holdable: z.boolean().optional(),
    circulates: z.boolean().optional(),
    catalogedAt: plainDate.optional(),
    ageProtection: ageProtection.optional(),
  })
  .strict();

const itemPatch = z
  .object({
    ageProtection: ageProtection.optional(),
    location: locationName.nullable().optional(),
    holdable: z.boolean().optional(),
    circulates: z.boolean().optional(),
    status: z
      .enum(settableStatuses, { message: 'staff may set the status only to available, missing, damaged or lost; the others follow scans and check-outs' })
      .optional(),
  })
  .strict();

export async function itemRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.post('/items', { schema: { tags: ['catalog'], summary: 'Add an item (its volume is found or created)', body: newItem } }, async (request, reply) =>
    sendResult(reply, await createItem(request.ctx(), request.body), 201),
  );
  app.get('/items/:barcode', { schema: { tags: ['catalog'], summary: 'The item screen', params: barcodeParam } }, async (request, reply) =>
    sendResult(reply, await getItemScreen(request.ctx(), request.params.barcode)),
  );
  app.patch(
    '/items/:barcode',
    { schema: { tags: ['catalog'], summary: 'Change an item: shelving location, holdability, age protection or status', params: barcodeParam, body: itemPatch } },
    async (request, reply) => sendResult(reply, await updateItem(request.ctx(), request.params.barcode, request.body)),
  );
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { holdStatuses } from '../../domain/holds/hold-status';
import { cancelHold, cancelReasons } from '../../services/holds/cancel-hold';
import { changeHold } from '../../services/holds/hold-changes';
import { getHold, listHolds } from '../../services/holds/hold-queries';
import { markNotOnShelf, redirectHold } from '../../services/holds/hold-refusals';
import { placeHold } from '../../services/holds/place-hold';
import { pullList, pullListCsv } from '../../services/holds/pull-list';
import { sendRefusal, sendResult } from '../errors';
import { barcode, codeParam, idParam, libraryCode, notifyBy, paging, plainDate, text } from '../schemas/common';

const newHold = z
  .object({
    patronBarcode: barcode.optional(),
    type: z.enum(['title', 'volume', 'copy']),
    recordId: z.number().int().positive().max(2147483647).optional(),
    volumeId: z.number().int().positive().max(2147483647).optional(),
    itemBarcode: barcode.optional(),
    pickupLibraryCode: libraryCode.optional(),
    notifyBy: notifyBy.optional(),
  })
  .strict();

const holdPatch = z
  .object({
    pickupLibraryCode: libraryCode.optional(),
    suspendedUntil: plainDate.nullable().optional(),
    notifyBy: notifyBy.optional(),
  })
  .strict();

const holdSearch = paging.extend({
  patron: barcode.optional(),
  library: libraryCode.optional(),
  status: z.enum(holdStatuses).optional(),
});

const redirectBody = z.object({ note: text(1, 1000).optional() }).strict();

const cancelBody = z.object({ reason: z.enum(cancelReasons), note: text(1, 1000).optional() }).strict();

// The screen reads the list a page at a time; the CSV is for printing or a spreadsheet, so without
// a limit it is the whole list.
const firstPage = paging.shape.limit.parse(undefined);
const pullListQuery = paging
  .extend({
    format: z.enum(['json', 'csv'], { message: 'format is json or csv' }).default('json'),
    limit: paging.shape.limit.unwrap().optional().describe(`lines per page, 1–1000; default ${firstPage}, or for format=csv the whole list`),
  })
  .strict();

export async function holdRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.post('/holds', { schema: { tags: ['holds'], summary: 'Place a hold; it is targeted at once where a copy is free', body: newHold } }, async (request, reply) =>
    sendResult(reply, await placeHold(request.ctx(), request.body), 201),
  );
  app.get('/holds', { schema: { tags: ['holds'], summary: 'Holds of a patron, of a library (pickup or target), by status', querystring: holdSearch } }, async (request, reply) =>
    sendResult(reply, await listHolds(request.ctx(), request.query)),
  );
  app.get('/holds/:id', { schema: { tags: ['holds'], summary: 'One hold, with its queue position and targeting explanation', params: idParam } }, async (request, reply) =>
    sendResult(reply, await getHold(request.ctx(), request.params.id)),
  );
  app.patch('/holds/:id', { schema: { tags: ['holds'], summary: 'Change pickup library, suspend or resume, notice choice', params: idParam, body: holdPatch } }, async (request, reply) =>
    sendResult(reply, await changeHold(request.ctx(), request.params.id, request.body)),
  );
  app.post(
    '/holds/:id/redirect',
    { schema: { tags: ['holds'], summary: 'The targeted library cannot fill it: retarget elsewhere, never back here', params: idParam, body: redirectBody.optional() } },
    async (request, reply) => sendResult(reply, await redirectHold(request.ctx(), request.params.id, request.body?.note)),
  );
  app.post('/holds/:id/cancel', { schema: { tags: ['holds'], summary: 'Cancel a hold with a reason; the other libraries involved get a message', params: idParam, body: cancelBody } }, async (request, reply) =>
    sendResult(reply, await cancelHold(request.ctx(), request.params.id, request.body)),
  );
  app.post('/holds/:id/not-on-shelf', { schema: { tags: ['holds'], summary: 'The target is not on the shelf: mark it missing and retarget', params: idParam } }, async (request, reply) =>
    sendResult(reply, await markNotOnShelf(request.ctx(), request.params.id)),
  );
  app.get(
    '/libraries/:code/pull-list',
    {
      schema: {
        tags: ['holds'],
        summary: "The library's items to fetch for holds, in shelf order, a page at a time; format=csv without a limit is the whole list",
        params: codeParam,
        querystring: pullListQuery,
      },
    },
    async (request, reply) => {
      const { format, limit, offset } = request.query;
      const csv = format === 'csv';
      const result = await pullList(request.ctx(), request.params.code, { limit: limit ?? (csv ? null : firstPage), offset });
      if (!result.ok) return sendRefusal(reply, result.refusal);
      if (csv) {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="pull-list-${request.params.code}.csv"`)
          .send(pullListCsv(result.value));
      }
      return result.value;
    },
  );
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clearHoldsShelf, holdsShelf } from '../../services/circulation/holds-shelf';
import { lentOut, received } from '../../services/circulation/library-lists';
import { problemList } from '../../services/circulation/problems';
import { transitList } from '../../services/circulation/transit-list';
import { sendResult } from '../errors';
import { codeParam, paging } from '../schemas/common';

// The lists that replace a library's paper folders: transits in and out, the holds shelf and its
// clearing, items lent out and received, and problem items. Each is for the library's own staff.

const transitQuery = paging.extend({ direction: z.enum(['incoming', 'outgoing'], { message: 'direction is incoming or outgoing' }).optional() }).strict();
const shelfQuery = paging.extend({ expired: z.enum(['true', 'false'], { message: 'expired is true or false' }).optional() }).strict();
const listQuery = paging.strict();

export async function libraryListRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/libraries/:code/transits',
    { schema: { tags: ['circulation'], summary: 'Open transits to (incoming) and from (outgoing) the library, oldest first', params: codeParam, querystring: transitQuery } },
    async (request, reply) => {
      const { direction, ...page } = request.query;
      return sendResult(reply, await transitList(request.ctx(), request.params.code, direction, page));
    },
  );
  app.get(
    '/libraries/:code/holds-shelf',
    { schema: { tags: ['circulation'], summary: 'Items on the holds shelf by patron name; expired=true gives the clear-shelf list', params: codeParam, querystring: shelfQuery } },
    async (request, reply) => {
      const { expired, ...page } = request.query;
      return sendResult(reply, await holdsShelf(request.ctx(), request.params.code, { expiredOnly: expired === 'true', ...page }));
    },
  );
  app.post(
    '/libraries/:code/holds-shelf/clear',
    { schema: { tags: ['circulation'], summary: 'Cancel the expired holds on the shelf (not picked up); answers the items to scan', params: codeParam } },
    async (request, reply) => sendResult(reply, await clearHoldsShelf(request.ctx(), request.params.code)),
  );
  app.get(
    '/libraries/:code/lent-out',
    { schema: { tags: ['circulation'], summary: 'Our items away: in transit, or at or lent by other libraries', params: codeParam, querystring: listQuery } },
    async (request, reply) => sendResult(reply, await lentOut(request.ctx(), request.params.code, request.query)),
  );
  app.get(
    '/libraries/:code/received',
    { schema: { tags: ['circulation'], summary: "Other libraries' items here: on our shelves or lent at our desk", params: codeParam, querystring: listQuery } },
    async (request, reply) => sendResult(reply, await received(request.ctx(), request.params.code, request.query)),
  );
  app.get(
    '/libraries/:code/problems',
    { schema: { tags: ['circulation'], summary: 'Our items that keep bouncing between libraries, or whose transit is overdue', params: codeParam, querystring: listQuery } },
    async (request, reply) => sendResult(reply, await problemList(request.ctx(), request.params.code, request.query)),
  );
}

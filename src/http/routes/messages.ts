import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listLibraryMessages, markLibraryMessageRead } from '../../services/library-messages';
import { sendResult } from '../errors';
import { codeParam, libraryCode, paging } from '../schemas/common';

const messageSearch = paging.extend({
  // a query string carries text: only these two words mean a yes or a no
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

const messageParams = z.object({ code: libraryCode, id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export async function messageRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/libraries/:code/messages',
    { schema: { tags: ['notices'], summary: 'Messages from other libraries (e.g. a hold cancelled), newest first; ?unread=true', params: codeParam, querystring: messageSearch } },
    async (request, reply) => sendResult(reply, await listLibraryMessages(request.ctx(), request.params.code, request.query)),
  );
  app.post(
    '/libraries/:code/messages/:id/read',
    { schema: { tags: ['notices'], summary: 'Mark a message read', params: messageParams } },
    async (request, reply) => sendResult(reply, await markLibraryMessageRead(request.ctx(), request.params.code, request.params.id)),
  );
}

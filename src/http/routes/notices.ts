import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listPatronNotices } from '../../services/notices/patron-notices';
import { listPhoneCalls, markPhoneCallDone } from '../../services/notices/phone-calls';
import { sendResult } from '../errors';
import { barcode, codeParam, idParam, paging, text } from '../schemas/common';

// Notices to patrons (API.md "Notices and reports"): a patron's notices (the in-app mailbox when
// there is no SMTP server) and the pickup library's phone-call list.

const noticeSearch = paging.extend({ patron: barcode.optional() }).strict();
const callDone = z.object({ outcome: z.enum(['reached', 'left-message', 'no-answer'], { message: 'outcome is reached, left-message or no-answer' }), note: text(1, 1000).optional() }).strict();

export async function noticeRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/notices',
    { schema: { tags: ['notices'], summary: "A patron's notices, newest first: a patron their own, staff any patron's (?patron=<barcode>)", querystring: noticeSearch } },
    async (request, reply) => sendResult(reply, await listPatronNotices(request.ctx(), request.query)),
  );
  app.get(
    '/libraries/:code/phone-calls',
    { schema: { tags: ['notices'], summary: 'Patrons to phone: holds ready (or not picked up) for patrons without email, oldest first', params: codeParam, querystring: paging.strict() } },
    async (request, reply) => sendResult(reply, await listPhoneCalls(request.ctx(), request.params.code, request.query)),
  );
  app.post(
    '/phone-calls/:id/done',
    { schema: { tags: ['notices'], summary: 'Mark a phone call made, with its outcome', params: idParam, body: callDone } },
    async (request, reply) => sendResult(reply, await markPhoneCallDone(request.ctx(), request.params.id, request.body.outcome, request.body.note)),
  );
}

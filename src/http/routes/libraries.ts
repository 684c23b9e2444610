import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createLibrary, getLibrary, listLibraries, updateLibrary } from '../../services/libraries';
import { sendResult } from '../errors';
import { codeParam, email, hhmm, libraryCode, name, phone, plainDate, text } from '../schemas/common';

const dayHours = z
  .tuple([hhmm, hhmm])
  .nullable()
  .refine((h) => h === null || h[0] < h[1], 'a library closes after it opens');
const openingHours = z
  .object({ mon: dayHours, tue: dayHours, wed: dayHours, thu: dayHours, fri: dayHours, sat: dayHours, sun: dayHours })
  .partial()
  .strict();
const closedDates = z
  .array(
    z
      .object({ from: plainDate, to: plainDate, reason: z.string().trim().max(200).optional() })
      .strict()
      .refine((c) => c.from <= c.to, { message: 'closed dates end on or after they start', path: ['to'] }),
  )
  .max(1000);

// a subject is a mail header: one line
const noticeTemplate = z
  .object({
    subject: z.string().trim().min(1).max(300).regex(/^[^\r\n\u0000]*$/, 'a subject is one line of text'),
    body: text(1, 10_000),
  })
  .strict()
  .nullable();
const noticeTemplates = z
  .object({ 'hold-ready': noticeTemplate, 'hold-cancelled': noticeTemplate, courtesy: noticeTemplate, overdue: noticeTemplate, 'shelf-expiry-reminder': noticeTemplate })
  .partial()
  .strict();

const libraryFields = {
  code: libraryCode,
  name,
  kind: z.enum(['library', 'system']).optional(),
  parentCode: libraryCode.nullable().optional(),
  participatesInLending: z.boolean().optional(),
  email: email.nullable().optional(),
  phone: phone.nullable().optional(),
  timezone: z.string().trim().min(1).max(64).optional(),
};
const newLibrary = z.object(libraryFields).strict();
const libraryPatch = z
  .object({
    ...libraryFields,
    code: libraryCode.optional(),
    name: name.optional(),
    openingHours: openingHours.optional(),
    closedDates: closedDates.optional(),
    holdShelfDays: z.number().int().min(1).max(90).optional(),
    loanDays: z.number().int().min(1).max(365).optional(),
    /** The library's wording per notice kind; null returns a kind to the default text. */
    noticeTemplates: noticeTemplates.optional(),
  })
  .strict();

export async function libraryRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get('/libraries', { schema: { tags: ['libraries'], summary: 'All libraries and systems' } }, async (request, reply) =>
    sendResult(reply, await listLibraries(request.ctx())),
  );
  app.post('/libraries', { schema: { tags: ['libraries'], summary: 'Add a library or system', body: newLibrary } }, async (request, reply) =>
    sendResult(reply, await createLibrary(request.ctx(), request.body), 201),
  );
  app.get('/libraries/:code', { schema: { tags: ['libraries'], summary: 'One library', params: codeParam } }, async (request, reply) =>
    sendResult(reply, await getLibrary(request.ctx(), request.params.code)),
  );
  app.patch(
    '/libraries/:code',
    { schema: { tags: ['libraries'], summary: 'Change a library: details, hours, closed dates, shelf and loan days, notice texts', params: codeParam, body: libraryPatch }, config: { endsSignIns: true } },
    async (request, reply) => sendResult(reply, await updateLibrary(request.ctx(), request.params.code, request.body)),
  );
}

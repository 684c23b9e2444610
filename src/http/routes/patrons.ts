import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createPatron, getPatron, searchPatrons, updatePatron } from '../../services/patrons';
import { sendResult } from '../errors';
import { barcode, barcodeParam, email, libraryCode, notifyBy, paging, password, personName, phone, text, username } from '../schemas/common';

const newPatron = z
  .object({
    barcode,
    firstName: personName,
    lastName: personName,
    homeLibraryCode: libraryCode,
    email: email.nullable().optional(),
    phone: phone.nullable().optional(),
    username: username.nullable().optional(),
    password: password.optional(),
    notifyBy: notifyBy.optional(),
  })
  .strict();
const patronPatch = z
  .object({
    email: email.nullable().optional(),
    phone: phone.nullable().optional(),
    notifyBy: notifyBy.optional(),
    defaultPickupLibraryCode: libraryCode.nullable().optional(),
    username: username.nullable().optional(),
    password: password.optional(),
    currentPassword: password.optional(),
    blocked: z.boolean().optional(),
    blockReason: text(1, 500).optional(),
    firstName: personName.optional(),
    lastName: personName.optional(),
    homeLibraryCode: libraryCode.optional(),
  })
  .strict();
const patronQuery = z.object({ q: text(1, 200), ...paging.shape }).strict();

export async function patronRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.post('/patrons', { schema: { tags: ['patrons'], summary: 'Register a patron', body: newPatron } }, async (request, reply) =>
    sendResult(reply, await createPatron(request.ctx(), request.body), 201),
  );
  app.get('/patrons', { schema: { tags: ['patrons'], summary: 'Find patrons by card barcode or name', querystring: patronQuery } }, async (request, reply) =>
    sendResult(reply, await searchPatrons(request.ctx(), request.query)),
  );
  app.get('/patrons/:barcode', { schema: { tags: ['patrons'], summary: 'A patron with open holds and loans', params: barcodeParam } }, async (request, reply) =>
    sendResult(reply, await getPatron(request.ctx(), request.params.barcode)),
  );
  app.patch(
    '/patrons/:barcode',
    { schema: { tags: ['patrons'], summary: "Change a patron's details, sign-in, notices or block", params: barcodeParam, body: patronPatch } },
    async (request, reply) => sendResult(reply, await updatePatron(request.ctx(), request.params.barcode, request.body)),
  );
}

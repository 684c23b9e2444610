import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkOut } from '../../services/circulation/checkout';
import { renewLoan } from '../../services/circulation/renew';
import { sendResult } from '../errors';
import { barcode, libraryCode, text } from '../schemas/common';

const checkoutBody = z
  .object({
    patronBarcode: barcode,
    itemBarcode: barcode,
    override: z.object({ reason: text(1, 500) }).strict().optional(),
    libraryCode: libraryCode.optional(),
  })
  .strict();

const renewBody = z.object({ itemBarcode: barcode }).strict();

export async function loanRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/circulation/checkout',
    {
      schema: {
        tags: ['circulation'],
        summary: 'Lend an item at your library; fills the patron\'s hold; staff may override a refusal with a reason',
        body: checkoutBody,
      },
    },
    async (request, reply) => sendResult(reply, await checkOut(request.ctx(), request.body), 201),
  );
  app.post(
    '/circulation/renew',
    { schema: { tags: ['circulation'], summary: 'Renew a loan: due again counted from today, unless another patron waits for the copy', body: renewBody } },
    async (request, reply) => sendResult(reply, await renewLoan(request.ctx(), request.body.itemBarcode)),
  );
}

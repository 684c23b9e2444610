import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Result } from '../../domain/refusal';
import { dueDateSlip, holdShelfSlip, transitSlip, type RenderedSlip } from '../../services/slips/slips';
import { sendRefusal } from '../errors';
import { idParam } from '../schemas/common';

// The slip urls of a scan answer: print-ready HTML by default, PDF with ?format=pdf.

const slipQuery = z.object({ format: z.enum(['html', 'pdf']).default('html') });

function sendSlip(reply: FastifyReply, result: Result<RenderedSlip>): FastifyReply {
  if (!result.ok) return sendRefusal(reply, result.refusal);
  const slip = result.value;
  return (
    reply
      .header('content-type', slip.contentType)
      .header('content-disposition', `inline; filename="${slip.fileName}"`)
      // slips name patrons: a shared desk computer must not keep them in its cache
      .header('cache-control', 'no-store')
      .send(slip.body)
  );
}

export async function slipRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/slips/transit/:id',
    { schema: { tags: ['circulation'], summary: 'Transit slip of a scan answer (two copies for a hold transit): HTML, or PDF with ?format=pdf', params: idParam, querystring: slipQuery } },
    async (request, reply) => sendSlip(reply, await transitSlip(request.ctx(), request.params.id, request.query.format)),
  );
  app.get(
    '/slips/hold-shelf/:id',
    { schema: { tags: ['circulation'], summary: 'Holds-shelf slip of a hold on the shelf: HTML, or PDF with ?format=pdf', params: idParam, querystring: slipQuery } },
    async (request, reply) => sendSlip(reply, await holdShelfSlip(request.ctx(), request.params.id, request.query.format)),
  );
  app.get(
    '/slips/due-date/:id',
    { schema: { tags: ['circulation'], summary: 'Due-date slip of a checkout: HTML, or PDF with ?format=pdf', params: idParam, querystring: slipQuery } },
    async (request, reply) => sendSlip(reply, await dueDateSlip(request.ctx(), request.params.id, request.query.format)),
  );
}

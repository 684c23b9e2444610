import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { holdsReport } from '../../services/reports/holds-report';
import { holdsReportCsv, holdsReportFileName } from '../../services/reports/holds-report-csv';
import { lendingBalance } from '../../services/reports/lending-balance';
import { sendRefusal, sendResult } from '../errors';
import { libraryCode, plainDate } from '../schemas/common';

// Reports (DESIGN §4 "Reports"): the holds report of one library and the consortium's lending
// balance, both read from the events so that they stay right after holds are purged.

const period = {
  from: plainDate.describe('first day, YYYY-MM-DD, on the library calendar'),
  to: plainDate.describe('last day (included), YYYY-MM-DD'),
};
const holdsQuery = z.object({ library: libraryCode, ...period, format: z.enum(['json', 'csv']).default('json') }).strict();
const balanceQuery = z.object({ ...period, by: z.enum(['month'], { message: 'by is month' }).optional() }).strict();

const holdsDescription =
  'A hold is in the period if it was placed, filled or cancelled in it, by the library\'s local dates. ' +
  "placedByOurPatrons: holds of the library's patrons, with the lending library (owner of the copy captured for the hold or that filled it; null while none was). " +
  "placedByOtherPatrons: holds of other libraries' patrons that the library's copies were captured for or filled, cancelled ones too. " +
  "Totals: placed (our patrons' holds placed), borrowed (ours filled by another library's copy), lent (others' filled by our copies), cancelled (ours cancelled), each in the period. " +
  'format=csv gives the rows of both lists in one table, the first column (Kind) naming the list. Staff of the library, or a consortium administrator.';

const balanceDescription =
  "Per member library: lent = holds of other libraries' patrons filled in the period by the library's copies; borrowed = holds of its patrons filled by other libraries' copies; " +
  'ratio = lent / borrowed rounded to 2 decimals, null when borrowed is 0 (included for the comparison the consortium asked for; lent and borrowed stay the facts). ' +
  'With by=month, one row per library and month (month: YYYY-MM), months with nothing included. Days and months count on each library\'s calendar. Any staff.';

export async function reportRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/reports/holds',
    { schema: { tags: ['reports'], summary: "A library's holds report for a period: its patrons' holds and the holds its copies filled", description: holdsDescription, querystring: holdsQuery } },
    async (request, reply) => {
      const { library, from, to, format } = request.query;
      const result = await holdsReport(request.ctx(), library, from, to);
      if (!result.ok) return sendRefusal(reply, result.refusal);
      // the report names patrons: a shared desk computer must not keep it in its cache
      reply.header('cache-control', 'no-store');
      if (format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${holdsReportFileName(result.value)}"`)
          .send(holdsReportCsv(result.value));
      }
      return result.value;
    },
  );
  app.get(
    '/reports/lending-balance',
    { schema: { tags: ['reports'], summary: 'Holds lent and borrowed between libraries, per library (and per month with by=month)', description: balanceDescription, querystring: balanceQuery } },
    async (request, reply) => sendResult(reply, await lendingBalance(request.ctx(), request.query.from, request.query.to, request.query.by === 'month')),
  );
}

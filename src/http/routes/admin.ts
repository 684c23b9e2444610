import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireStaff } from '../../domain/actor';
import { runJobNow } from '../../jobs/runner';
import { jobs } from '../../jobs/registry';
import { sendRefusal } from '../errors';

const jobParams = z.object({ name: z.string().min(1).max(64) });
const clockBody = z.object({ now: z.iso.datetime({ offset: true }) }).strict();

export async function adminRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { services, testClock, delivery } = app.tamarack;

  app.post(
    '/admin/jobs/:name/run',
    { schema: { tags: ['operations'], summary: `Run one job now (${jobs.map((j) => j.name).join(', ')})`, params: jobParams } },
    async (request, reply) => {
      const admin = requireStaff(request.actor, 'consortium-admin');
      if (!admin.ok) return sendRefusal(reply, admin.refusal);
      const run = await runJobNow({ ...services, delivery }, request.params.name);
      if (!run) return sendRefusal(reply, { code: 'NOT_FOUND', message: `There is no job named ${request.params.name}.` });
      return run;
    },
  );

  app.post('/admin/clock', { schema: { tags: ['operations'], summary: 'Set the test clock (TAMARACK_TEST_CLOCK=1 only)', body: clockBody } }, async (request, reply) => {
    if (!testClock) return sendRefusal(reply, { code: 'NOT_FOUND', message: 'The clock can be set only on a server started with TAMARACK_TEST_CLOCK=1.' });
    const admin = requireStaff(request.actor, 'consortium-admin');
    if (!admin.ok) return sendRefusal(reply, admin.refusal);
    testClock.set(new Date(request.body.now));
    return { now: testClock.now().toISOString() };
  });
}

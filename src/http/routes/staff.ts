import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffRoles } from '../../domain/roles';
import { createStaff, listStaff, updateStaff } from '../../services/staff';
import { sendResult } from '../errors';
import { libraryCode, paging, password, username } from '../schemas/common';

const role = z.enum(staffRoles);
const newStaff = z.object({ username, password, libraryCode, role }).strict();
const staffPatch = z.object({ role: role.optional(), password: password.optional(), active: z.boolean().optional(), libraryCode: libraryCode.optional() }).strict();
const staffQuery = z.object({ library: libraryCode.optional(), ...paging.shape }).strict();
const usernameParam = z.object({ username });

export async function staffRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.post('/staff', { schema: { tags: ['staff'], summary: 'Add a staff account', body: newStaff } }, async (request, reply) =>
    sendResult(reply, await createStaff(request.ctx(), request.body), 201),
  );
  app.get('/staff', { schema: { tags: ['staff'], summary: "A library's staff accounts", querystring: staffQuery } }, async (request, reply) =>
    sendResult(reply, await listStaff(request.ctx(), request.query)),
  );
  app.patch(
    '/staff/:username',
    { schema: { tags: ['staff'], summary: 'Change a staff account: role, password, library, active', params: usernameParam, body: staffPatch }, config: { endsSignIns: true } },
    async (request, reply) => sendResult(reply, await updateStaff(request.ctx(), request.params.username, request.body)),
  );
}

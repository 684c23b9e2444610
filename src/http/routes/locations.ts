import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createLocation, listLocations, updateLocation } from '../../services/locations';
import { sendResult } from '../errors';
import { codeParam, libraryCode, text } from '../schemas/common';

const locationName = text(1, 100);
const newLocation = z.object({ name: locationName, holdable: z.boolean().optional() }).strict();
const locationPatch = z.object({ name: locationName.optional(), holdable: z.boolean().optional() }).strict();
const locationParams = z.object({ code: libraryCode, name: locationName }).strict();

export async function locationRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/libraries/:code/locations',
    { schema: { tags: ['libraries'], summary: "A library's shelving locations with their item counts", params: codeParam } },
    async (request, reply) => sendResult(reply, await listLocations(request.ctx(), request.params.code)),
  );
  app.post(
    '/libraries/:code/locations',
    { schema: { tags: ['libraries'], summary: 'Add a shelving location', params: codeParam, body: newLocation } },
    async (request, reply) => sendResult(reply, await createLocation(request.ctx(), request.params.code, request.body), 201),
  );
  app.patch(
    '/libraries/:code/locations/:name',
    { schema: { tags: ['libraries'], summary: 'Rename a shelving location or change whether it allows holds', params: locationParams, body: locationPatch } },
    async (request, reply) => sendResult(reply, await updateLocation(request.ctx(), request.params.code, request.params.name, request.body)),
  );
}

import type { FastifyInstance } from 'fastify';

export async function locationRoutes(_app: FastifyInstance): Promise<void> {}

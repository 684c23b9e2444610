import type { FastifyInstance } from 'fastify';

export async function itemRoutes(_app: FastifyInstance): Promise<void> {}

import type { FastifyInstance } from 'fastify';

export async function patronRoutes(_app: FastifyInstance): Promise<void> {}

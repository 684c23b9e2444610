import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireSignedIn } from '../../domain/actor';
import { describeUser, login, logout, logoutEverywhere } from '../../services/sessions';
import { sendRefusal } from '../errors';
import { clearSessionCookie, setSessionCookie } from '../session';

const loginBody = z.object({
  username: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(1000),
});

export async function authRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { db } = app.tamarack.services;

  app.get('/health', { schema: { tags: ['operations'], summary: 'Is the service up' } }, async () => {
    await db.selectFrom('consortium').select('id').executeTakeFirst();
    return { ok: true, database: app.tamarack.connection.kind, version: app.tamarack.version };
  });

  app.post(
    '/auth/login',
    {
      schema: { tags: ['auth'], summary: 'Sign in (staff user name, or patron user name or card barcode)', body: loginBody },
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const result = await login(db, { ...request.body, address: request.ip });
      if (!result.ok) return sendRefusal(reply, result.refusal);
      setSessionCookie(reply, result.value.token, app.tamarack.secureCookies ?? false);
      return { user: result.value.user };
    },
  );

  app.post('/auth/logout', { schema: { tags: ['auth'], summary: 'Sign out' }, config: { endsSignIns: true } }, async (request, reply) => {
    if (request.sessionToken) await logout(db, request.sessionToken);
    clearSessionCookie(reply);
    return reply.status(204).send();
  });

  app.post('/auth/logout-everywhere', { schema: { tags: ['auth'], summary: 'Sign out on every device (every session of this account ends)' }, config: { endsSignIns: true } }, async (request, reply) => {
    const signedIn = requireSignedIn(request.actor);
    if (!signedIn.ok) return sendRefusal(reply, signedIn.refusal);
    const ended = await logoutEverywhere(db, signedIn.value);
    clearSessionCookie(reply);
    return { sessionsEnded: ended };
  });

  app.get('/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in user' } }, async (request, reply) => {
    const signedIn = requireSignedIn(request.actor);
    if (!signedIn.ok) return sendRefusal(reply, signedIn.refusal);
    // The user's fields, and the same under `user` as in the login answer, so either reading works.
    const user = await describeUser(db, signedIn.value);
    return { ...user, user };
  });
}

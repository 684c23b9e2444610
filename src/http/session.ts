import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { anonymous, type Actor } from '../domain/actor';
import { actorOfSession, hashToken, sessionIdleMs } from '../services/sessions';
import type { ServiceContext } from '../services/context';
import { sendRefusal } from './errors';

export const sessionCookie = 'tamarack_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    sessionToken?: string;
    /** The stored form of sessionToken (services/sessions.ts hashToken). */
    sessionKey?: string;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A cookie-authenticated change from a page of another site is refused (API.md "Auth"). */
function isForeignOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

export function installSessions(app: FastifyInstance, services: Omit<ServiceContext, 'actor'>): void {
  app.decorateRequest('actor', null as never);
  app.addHook('onRequest', async (request, reply) => {
    request.actor = anonymous;
    const token = request.cookies[sessionCookie];
    if (!token) return;
    if (!safeMethods.has(request.method) && isForeignOrigin(request)) {
      return sendRefusal(reply, { code: 'CSRF', message: 'This change came from another web site and was refused.' });
    }
    request.sessionToken = token;
    request.sessionKey = hashToken(token);
    request.actor = await actorOfSession(services.db, token);
  });
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(sessionCookie, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: Math.floor(sessionIdleMs / 1000),
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(sessionCookie, { path: '/' });
}

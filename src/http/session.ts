import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { anonymous, type Actor } from '../domain/actor';
import { actorOfSession, hashToken, sessionIdleMs } from '../services/sessions';
import type { ServiceContext } from '../services/context';
import type { SessionCache } from '../services/session-cache';
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

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route ends sessions or changes what a signed-in staff member is: the session cache empties before it answers. */
    endsSignIns?: boolean;
  }
}

export function installSessions(app: FastifyInstance, services: Omit<ServiceContext, 'actor'>, cache?: SessionCache): void {
  app.decorateRequest('actor', null as never);
  if (cache) {
    // after the change committed and before the answer leaves, so the caller's next request
    // never meets the old sign-in here; other processes hear of it from the database
    const emptyCache = async (_request: FastifyRequest, _reply: FastifyReply, payload: unknown) => {
      cache.clear();
      return payload;
    };
    app.addHook('onRoute', (route) => {
      if (!route.config?.endsSignIns) return;
      const own = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
      route.onSend = [...own, emptyCache];
    });
  }
  app.addHook('onRequest', async (request, reply) => {
    request.actor = anonymous;
    const token = request.cookies[sessionCookie];
    if (!token) return;
    if (!safeMethods.has(request.method) && isForeignOrigin(request)) {
      return sendRefusal(reply, { code: 'CSRF', message: 'This change came from another web site and was refused.' });
    }
    request.sessionToken = token;
    request.sessionKey = hashToken(token);
    request.actor = await actorOfSession(services.db, token, new Date(), cache);
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

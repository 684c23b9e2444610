import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Connection } from '../db/connection';
import type { Clock, SettableClock } from '../services/clock';
import type { ServiceContext } from '../services/context';
import type { Delivery } from '../services/notices/send-notices';
import type { SessionCache } from '../services/session-cache';
import { installErrorHandlers, sendFrameworkError } from './errors';
import { registerRoutes } from './routes';
import { installSessions } from './session';
import { webApp } from './web';

export interface AppOptions {
  connection: Connection;
  clock: Clock;
  /** Present when started with TAMARACK_TEST_CLOCK=1: POST /admin/clock moves it. */
  testClock?: SettableClock;
  version: string;
  /** pino level, or false for no request log */
  logger?: string | false;
  /** The random source of targeting; seeded by tests. */
  random?: () => number;
  /** Send the session cookie only over HTTPS. */
  secureCookies?: boolean;
  /** How notices go out when an administrator runs the notices job: SMTP, or the in-app mailbox. */
  delivery?: Delivery;
  /** Signed-in staff kept in memory; only where the process hears of changes to sessions. */
  sessionCache?: SessionCache;
}

export type App = FastifyInstance;

declare module 'fastify' {
  interface FastifyInstance {
    tamarack: AppOptions & { services: Omit<ServiceContext, 'actor'> };
  }
  interface FastifyRequest {
    ctx(): ServiceContext;
  }
}

/** Never in a log line, whatever the level: a cookie or a password there would sign anyone in. */
const loggedSecrets = ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', 'password', 'currentPassword', '*.password', '*.currentPassword'];

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ? { level: options.logger, redact: { paths: loggedSecrets, censor: '[hidden]' } } : false, bodyLimit: 50 * 1024 * 1024, trustProxy: true, frameworkErrors: sendFrameworkError }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  const services = { db: options.connection.db, clock: options.clock, random: options.random };
  app.decorate('tamarack', { ...options, services });
  app.decorateRequest('ctx', function ctx(this: { actor: ServiceContext['actor']; sessionKey?: string }) {
    return { ...services, actor: this.actor, sessionKey: this.sessionKey };
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        // served over plain HTTP on a desk computer or localhost as often as over HTTPS
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Tamarack API', version: options.version, description: 'The HTTP contract of Tamarack (API.md).' },
      servers: [{ url: '/' }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  installErrorHandlers(app);
  installSessions(app, services, options.sessionCache);
  await app.register(webApp);
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, () => app.swagger());
  await app.register(registerRoutes, { prefix: '/api/v1' });
  return app;
}

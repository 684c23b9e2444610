import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { statusOf, type Refusal, type Result } from '../domain/refusal';

// Every error leaves as {"error": {"code", "message", "field"?}} (API.md "Errors").

export function sendRefusal(reply: FastifyReply, refusal: Refusal): FastifyReply {
  const { code, message, field, details } = refusal;
  return reply.status(statusOf(code)).send({ error: { code, message, ...(field ? { field } : {}), ...(details ?? {}) } });
}

/** Sends a service result: the value with `status`, or the refusal with its own status. */
export function sendResult<T>(reply: FastifyReply, result: Result<T>, status = 200): FastifyReply {
  if (!result.ok) return sendRefusal(reply, result.refusal);
  if (result.value === null || result.value === undefined) return reply.status(status === 200 ? 204 : status).send();
  return reply.status(status).send(result.value);
}

function describeIssue(message: string, path: string): string {
  return path ? `${path}: ${message}` : message;
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0];
      const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
      const field = path || (error.validationContext ?? 'body');
      return reply.status(400).send({
        error: { code: 'INVALID_INPUT', field, message: describeIssue(first.message ?? 'is not valid', field) },
      });
    }
    if (isDataException(error)) {
      // a value the schemas let through but PostgreSQL cannot store (out of range, bad text)
      return reply.status(400).send({ error: { code: 'INVALID_INPUT', field: 'body', message: 'A value in the request is out of range or not valid text.' } });
    }
    const status = error.statusCode ?? 500;
    if (status === 429) {
      return reply.status(429).send({ error: { code: 'TOO_MANY_ATTEMPTS', message: 'Too many requests. Please wait a moment and try again.' } });
    }
    if (status >= 400 && status < 500) {
      const field = error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'body' : undefined;
      return reply.status(status === 415 || status === 413 ? status : 400).send({
        error: { code: 'INVALID_INPUT', message: plainMessage(error), ...(field ? { field } : { field: 'body' }) },
      });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Something went wrong on our side. The change was not made; please try again.' } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `There is nothing at ${request.method} ${request.url.split('?')[0]}.` } }),
  );
}

/**
 * Errors Fastify meets before any route or hook runs (a path that is not valid percent-encoding,
 * a path parameter over its length limit): the same error body as every other refusal.
 */
export function sendFrameworkError(error: FastifyError, _request: unknown, reply: FastifyReply): FastifyReply {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  return reply
    .status(tooLong ? 414 : 400)
    .send({ error: { code: 'INVALID_INPUT', field: 'url', message: tooLong ? 'A part of the address is too long.' : 'The address is not valid: it holds a broken %-escape.' } });
}

/** PostgreSQL's class 22 errors: data exceptions, caused by input values, never by state. */
function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

function plainMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty; it should be JSON.';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'The request body is not valid JSON.';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is too large.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'This kind of request body is not accepted here.';
    default:
      return error.message;
  }
}

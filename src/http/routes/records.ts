import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { itemProfiles } from '../../domain/catalog/item-profiles';
import { importMarc } from '../../services/catalog-import/import-marc';
import { searchRecords } from '../../services/record-search';
import { searchFields } from '../../services/record-search-sql';
import { createRecord, getRecord, type NewRecord } from '../../services/records';
import { sendRefusal, sendResult } from '../errors';
import { idParam, libraryCode, paging, text } from '../schemas/common';

const recordFields = {
  title: text(1, 1000),
  author: text(0, 500).nullable(),
  isbn: z.union([z.string().max(40), z.array(z.string().max(40)).max(20)]),
  publisher: text(0, 500).nullable(),
  year: z.number().int().min(0).max(9999).nullable(),
  subjects: z.array(text(1, 500)).max(200),
};

// One body, two ways to describe a record: typed-in fields, or a MARCXML record alone.
const newRecord = z
  .object({ ...z.object(recordFields).partial().shape, marcxml: text(1, 5_000_000).optional() })
  .strict()
  .superRefine((body, ctx) => {
    const typed = Object.keys(recordFields).filter((key) => body[key as keyof typeof recordFields] !== undefined);
    if (body.marcxml !== undefined && typed.length > 0) {
      ctx.addIssue({ code: 'custom', path: [typed[0]], message: 'send either marcxml alone or the record fields, not both' });
    } else if (body.marcxml === undefined && body.title === undefined) {
      ctx.addIssue({ code: 'custom', path: ['title'], message: 'a record needs a title (or send marcxml)' });
    }
  });

function toNewRecord(body: z.infer<typeof newRecord>): NewRecord {
  const { marcxml, title, ...rest } = body;
  return marcxml !== undefined ? { marcxml } : { ...rest, title: title ?? '' };
}

const recordSearch = paging
  .extend({
    q: text(0, 500).optional(),
    by: z.enum(searchFields).optional(),
    library: libraryCode.optional(),
    format: text(1, 40).optional(),
    available: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  })
  .strict();

const importQuery = z.object({ items: z.enum(itemProfiles).optional(), library: libraryCode.optional() }).strict();

// The file is the body, as it is: ISO 2709 or MARCXML, gzipped or not (told apart by its bytes).
const marcContentTypes = ['application/marc', 'application/marcxml+xml', 'application/xml', 'text/xml', 'application/octet-stream', 'application/gzip'];
const maxImportBytes = 200 * 1024 * 1024;

export async function recordRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.addContentTypeParser(marcContentTypes, { parseAs: 'buffer', bodyLimit: maxImportBytes }, (_request, body, done) => done(null, body));
  app.post(
    '/records',
    { schema: { tags: ['catalog'], summary: 'Add a record, typed in or as one MARCXML record', body: newRecord } },
    async (request, reply) => sendResult(reply, await createRecord(request.ctx(), toNewRecord(request.body)), 201),
  );
  app.post(
    '/records/import',
    {
      bodyLimit: maxImportBytes,
      schema: {
        tags: ['catalog'],
        summary: 'Import a file of MARC records (ISO 2709 or MARCXML, optionally gzipped) with their embedded items',
        description:
          'Send the file itself as the body (Content-Type application/marc, application/marcxml+xml, application/xml, text/xml or application/octet-stream). ' +
          '`items` picks how items are embedded: koha (952), evergreen (949) or 852; `library` owns items whose field names no library.',
        querystring: importQuery,
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) {
        return sendRefusal(reply, { code: 'INVALID_INPUT', field: 'body', message: 'Send the MARC file itself as the body (Content-Type application/marc or application/marcxml+xml).' });
      }
      const { items, library } = request.query;
      return sendResult(reply, await importMarc(request.ctx(), request.body, { items: items ?? null, library, source: 'upload' }));
    },
  );
  app.get(
    '/records',
    { schema: { tags: ['catalog'], summary: 'Search the catalog by keyword, title, author, subject, ISBN/ISSN or item barcode, with facets', querystring: recordSearch } },
    async (request, reply) => sendResult(reply, await searchRecords(request.ctx(), request.query)),
  );
  app.get('/records/:id', { schema: { tags: ['catalog'], summary: 'A record with its volumes and items', params: idParam } }, async (request, reply) =>
    sendResult(reply, await getRecord(request.ctx(), request.params.id)),
  );
}

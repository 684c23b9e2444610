import { z } from 'zod';

// Building blocks of the request schemas; the same schemas validate requests and describe them
// in the OpenAPI document.
export const libraryCode = z.string().trim().regex(/^[A-Za-z0-9_-]{1,20}$/, 'a library code is 1–20 letters, digits, - or _');
export const barcode = z.string().trim().min(1).max(64).regex(/^[\x21-\x7E]+$/, 'a barcode is printable characters without spaces');
export const plainDate = z.iso.date();
export const name = text(1, 200);
export const email = z.email().max(320);
export const phone = z.string().trim().min(3).max(40).regex(/^[0-9+()\-. x]+$/, 'a phone number has digits and + ( ) - . x');
export const idParam = z.object({ id: z.coerce.number().int().positive().max(2147483647) });
export const codeParam = z.object({ code: libraryCode });
export const barcodeParam = z.object({ barcode });
export const paging = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});
export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM');

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});

export const personName = text(1, 200);
/** A sign-in name of staff or patrons: no spaces, so it is typed the same way every time. */
export const username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@+-]{1,63}$/, 'a user name is 2–64 letters, digits, . _ @ + or -, starting with a letter or digit');
/** Length rules for new passwords live in the service (checkNewPassword); this only bounds the size. */
export const password = z.string().min(1).max(1000);
export const notifyBy = z.array(z.enum(['email', 'phone'])).max(2);

/** Free text bound for the database, trimmed: PostgreSQL text cannot hold a NUL character. */
export function text(min: number, max: number) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'text may not contain NUL characters');
}

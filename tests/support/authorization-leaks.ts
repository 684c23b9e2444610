import type { MatrixPatron } from './authorization-callers';

// What of a patron an answer gives away: any trace of them at all (for callers who should see
// none), or more than a name and card barcode (API.md: "a patron {barcode, name}").

/** The strings that identify a patron, each unique to them in the matrix's database. */
function traces(p: MatrixPatron): string[] {
  return [p.barcode, p.lastName, p.email, p.phone];
}

/** The traces of `p` found anywhere in an answer's text. */
export function tracesOf(p: MatrixPatron, text: string): string[] {
  return traces(p).filter((trace) => text.includes(trace));
}

/** The contact details of `p` (email, phone) found anywhere in an answer's text. */
export function contactDetailsOf(p: MatrixPatron, text: string): string[] {
  return [p.email, p.phone].filter((detail) => text.includes(detail));
}

/** Every object in `value` that stands for patron `p` (it carries their card barcode). */
export function patronObjects(value: unknown, p: MatrixPatron, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) {
    for (const v of value) patronObjects(v, p, found);
  } else if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (object.barcode === p.barcode) found.push(object);
    for (const v of Object.values(object)) patronObjects(v, p, found);
  }
  return found;
}

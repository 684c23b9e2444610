import type fc from 'fast-check';

/**
 * Reports a failed property by its error alone (which names the failing input), the seed and the
 * path to replay it: fast-check's own report prints the whole counterexample, which for these
 * tests is a schema and up to a megabyte of body or file.
 */
export function briefReporter<T>(out: fc.RunDetails<T>): void {
  if (out.failed) throw new Error(`${out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance)} (seed ${out.seed}, path ${out.counterexamplePath})`);
}

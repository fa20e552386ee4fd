import { z } from 'zod';

/**
 * A whole number in a range, with one message for every way it can be wrong. `coerce` reads it
 * from text (environment variables, query strings).
 */
export function wholeNumber(min: number, max: number, options: { coerce?: boolean; message?: string } = {}) {
  const error =
    options.message ?? (max === Infinity ? `must be a whole number, ${min} or more` : `must be a whole number from ${min} to ${max}`);
  const base = options.coerce ? z.coerce.number({ error }) : z.number({ error });
  const ranged = base.int({ error }).min(min, { error });
  return max === Infinity ? ranged : ranged.max(max, { error });
}

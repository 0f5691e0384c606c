import type { z } from 'zod';
import { fromZod } from './errors';

/** Parses `value` with `schema` or throws a 400 naming the field at fault. */
export function parse<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'params' = 'body',
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZod(result.error, where);
  return result.data;
}

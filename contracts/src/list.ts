import { z } from 'zod';

/** The body of a list answer: `{ items: [...] }`. */
export const listOf = <T extends z.ZodType>(schema: T) => z.object({ items: z.array(schema) }).strict();

import { z } from 'zod';

/** Text a shopper reads, in both of the platform's languages. */
export const BilingualText = z
  .object({
    'zh-CN': z.string().trim().min(1),
    en: z.string().trim().min(1),
  })
  .strict()
  .describe('The same text in zh-CN and en');
export type BilingualText = z.infer<typeof BilingualText>;

export const bilingual = (max: number) =>
  z
    .object({
      'zh-CN': z.string().trim().min(1).max(max),
      en: z.string().trim().min(1).max(max),
    })
    .strict();

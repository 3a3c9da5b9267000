import type { z } from 'zod';

/** notification's own settings beside the kit's (see @emporium/kit config): a zod shape, each key with a default and a description. */
export const notificationConfig = {} as const satisfies z.ZodRawShape;

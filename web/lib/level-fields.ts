/** The ladder form's columns, and a field of row `i` as the form and its action name it (`levels.2.minGrowth`); safe for client components. */
export const LEVEL_COLUMNS = ['nameZh', 'nameEn', 'minGrowth', 'discount', 'freeShippingAbove', 'birthdayCoupon'] as const;

export const levelField = (i: number, column: string) => `levels.${i}.${column}`;

import { randomUUID } from 'node:crypto';
import type { Category, CreateCategoryRequest, SpecDefinition, SpecTemplate } from '@emporium/contracts';
import { ConflictError, NotFoundError, ValidationError } from '@emporium/kit';
import type { CatalogContext } from './catalog-context';

export async function createCategory(ctx: CatalogContext, input: CreateCategoryRequest): Promise<Category> {
  let path: string[] = [];
  if (input.parentId) {
    const parent = await ctx.repo.category(input.parentId);
    if (!parent) throw new ValidationError([{ field: 'parentId', code: 'not_found', message: 'no such category' }]);
    path = parent.path;
  }
  const id = randomUUID();
  if (!(await ctx.repo.insertCategory({ id, ...input, path: [...path, id] }))) {
    throw new ConflictError(`a sibling category has the slug ${input.slug}`);
  }
  return (await ctx.repo.category(id))!;
}

export const listCategories = (ctx: CatalogContext) => ctx.repo.categories();

export async function putSpecTemplate(ctx: CatalogContext, categoryId: string, specs: SpecDefinition[]): Promise<SpecTemplate> {
  if (!(await ctx.repo.category(categoryId))) throw new NotFoundError('no such category');
  const keys = specs.map((s) => s.key);
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup) throw new ValidationError([{ field: 'specs', code: 'duplicate', message: `spec ${dup} is defined twice` }]);
  await ctx.repo.putTemplate(categoryId, specs);
  return { categoryId, specs };
}

/** A category's template, or its nearest ancestor's. */
export async function specTemplateFor(ctx: CatalogContext, categoryId: string): Promise<SpecTemplate> {
  const category = await ctx.repo.category(categoryId);
  if (!category) throw new NotFoundError('no such category');
  for (const id of [...category.path].reverse()) {
    const specs = await ctx.repo.template(id);
    if (specs) return { categoryId, specs };
  }
  return { categoryId, specs: [] };
}

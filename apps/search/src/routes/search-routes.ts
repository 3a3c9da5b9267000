import { Router } from 'express';
import { SearchPublic, SearchQuery, SuggestQuery, SynonymSets } from '@emporium/contracts';
import { authenticate, parseWith, requireRole, serve, type KeySource } from '@emporium/kit';
import { startRebuild } from '../domain/indexing';
import { search, suggest } from '../domain/searching';
import type { SearchContext } from '../domain/search-context';

export function searchRoutes(ctx: SearchContext, keys: KeySource): Router {
  const router = Router();
  const admin = [authenticate(keys), requireRole('platform_admin')];

  // answers are JSON kept a few seconds per query, as parsed (so the order of parameters does not matter)
  serve(router, SearchPublic.searchProducts, async (req, res) => {
    const q = parseWith(SearchQuery, req.query, 'query');
    res.type('application/json').send(await ctx.answers.get(`search ${JSON.stringify(q)}`, () => search(ctx, q)));
  });
  serve(router, SearchPublic.suggestProducts, async (req, res) => {
    const q = parseWith(SuggestQuery, req.query, 'query');
    res.type('application/json').send(await ctx.answers.get(`suggest ${JSON.stringify(q)}`, () => suggest(ctx, q)));
  });
  serve(router, SearchPublic.getSynonyms, ...admin, async (_req, res) => {
    res.json({ sets: await ctx.repo.synonymSets() });
  });
  serve(router, SearchPublic.putSynonyms, ...admin, async (req, res) => {
    const { sets } = parseWith(SynonymSets, req.body);
    await ctx.repo.putSynonymSets(sets);
    await ctx.synonyms.reload();
    ctx.answers.clear();
    res.json({ sets: await ctx.repo.synonymSets() });
  });
  serve(router, SearchPublic.rebuildSearchIndex, ...admin, async (_req, res) => {
    res.status(202).json(await startRebuild(ctx));
  });
  serve(router, SearchPublic.getSearchIndexRebuild, ...admin, async (_req, res) => {
    res.json(await ctx.repo.rebuild());
  });
  return router;
}

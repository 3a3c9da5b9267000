import { Router } from 'express';
import { SearchPublic, SearchQuery, SuggestQuery, SynonymSets } from '@emporium/contracts';
import { authenticate, parseWith, requireRole, serve, type KeySource } from '@emporium/kit';
import { startRebuild } from '../domain/indexing';
import { search, suggest } from '../domain/searching';
import type { SearchContext } from '../domain/search-context';

export function searchRoutes(ctx: SearchContext, keys: KeySource): Router {
  const router = Router();
  const admin = [authenticate(keys), requireRole('platform_admin')];

  serve(router, SearchPublic.searchProducts, async (req, res) => {
    res.json(await search(ctx, parseWith(SearchQuery, req.query, 'query')));
  });
  serve(router, SearchPublic.suggestProducts, async (req, res) => {
    res.json(await suggest(ctx, parseWith(SuggestQuery, req.query, 'query')));
  });
  serve(router, SearchPublic.getSynonyms, ...admin, async (_req, res) => {
    res.json({ sets: await ctx.repo.synonymSets() });
  });
  serve(router, SearchPublic.putSynonyms, ...admin, async (req, res) => {
    const { sets } = parseWith(SynonymSets, req.body);
    await ctx.repo.putSynonymSets(sets);
    await ctx.synonyms.reload();
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

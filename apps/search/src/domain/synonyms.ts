import type { SearchRepository } from '../data/search-repository';
import type { Analyzer } from './analyzer';
import { synonymMap } from './query';

/**
 * The synonym sets, read from the database at most every `refreshMs`: a change
 * made through one replica reaches the others within that time.
 */
export class Synonyms {
  private map = new Map<string, string[]>();
  private readAt = 0;

  constructor(
    private readonly repo: SearchRepository,
    private readonly analyzer: Analyzer,
    private readonly refreshMs: number,
  ) {}

  async current(): Promise<Map<string, string[]>> {
    if (Date.now() - this.readAt > this.refreshMs) await this.reload();
    return this.map;
  }

  async reload(): Promise<void> {
    this.map = synonymMap(this.analyzer, await this.repo.synonymSets());
    this.readAt = Date.now();
  }
}

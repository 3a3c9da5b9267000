import type { Analyzer } from './analyzer';

/** One word of a query and what may stand for it: synonyms, corrections of a typo. */
export interface TermGroup {
  word: string;
  alternatives: string[];
  /** Latin words match as prefixes (what is typed so far, pinyin inside a longer spelling) */
  prefix: boolean;
}

/** Words the index knows, for correcting a misspelt Latin word (the repository answers from its vocabulary). */
export interface Vocabulary {
  knowsPrefix(word: string): Promise<boolean>;
  closest(word: string): Promise<string[]>;
}

const HAN = /\p{Script=Han}/u;
const LATIN = /^[a-z0-9]+$/;

/** A lexeme quoted for a tsquery or tsvector literal. */
export function lexeme(word: string): string {
  return `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * Reads a query as groups of alternatives: each word (segmented and folded
 * like the documents), its synonyms, and for a Latin word of four letters or
 * more that starts no indexed word and has no synonym, the indexed words
 * nearest to it.
 */
export async function readQuery(analyzer: Analyzer, synonyms: Map<string, string[]>, vocabulary: Vocabulary, text: string): Promise<TermGroup[]> {
  const groups: TermGroup[] = [];
  const words = analyzer.words(text, 'query').slice(0, 12);
  for (const word of words) {
    const alternatives = new Set([word, ...(synonyms.get(word) ?? [])]);
    const latin = LATIN.test(word);
    // a word with synonyms is one the platform knows: only a word nobody named is taken for a typo
    if (latin && alternatives.size === 1 && word.length >= 4 && !/^\d+$/.test(word) && !(await vocabulary.knowsPrefix(word))) {
      for (const near of await vocabulary.closest(word)) alternatives.add(near);
    }
    groups.push({ word, alternatives: [...alternatives], prefix: latin });
  }
  return groups;
}

/**
 * The groups as a tsquery literal: every group must match (AND), any of its
 * alternatives (OR). A Chinese word of several characters also matches a name
 * holding all its characters (瓷壶 finds 青瓷茶壶), ranked below the word
 * itself; a Latin word typed as is matches as a prefix.
 */
export function toTsquery(groups: readonly TermGroup[], opts: { lastIsPrefix?: boolean } = {}): string | null {
  const parts = groups.map((g, gi) => {
    const isLast = gi === groups.length - 1;
    const alts = g.alternatives.map((a) => {
      const chars = Array.from(a);
      if (HAN.test(a) && chars.length > 1 && chars.every((c) => HAN.test(c))) return `(${lexeme(a)} | (${chars.map(lexeme).join(' & ')}))`;
      const prefix = (g.prefix && a === g.word) || (opts.lastIsPrefix && isLast && a === g.word);
      return prefix ? `${lexeme(a)}:*` : a.includes(' ') ? `(${a.split(' ').map(lexeme).join(' & ')})` : lexeme(a);
    });
    return alts.length === 1 ? alts[0]! : `(${alts.join(' | ')})`;
  });
  return parts.length === 0 ? null : parts.join(' & ');
}

/** Every term a group stands for, for highlighting and for telling the shopper how the query was read. */
export function termsOf(groups: readonly TermGroup[]): string[] {
  return [...new Set(groups.flatMap((g) => g.alternatives))];
}

/** Synonym sets as a map from each (folded) term to the others of its sets. */
export function synonymMap(analyzer: Analyzer, sets: readonly (readonly string[])[]): Map<string, string[]> {
  const map = new Map<string, Set<string>>();
  for (const set of sets) {
    // a term of several words (t-shirt, 'running shoes') stands for all of them
    const folded = [...new Set(set.map((t) => analyzer.words(t, 'query').join(' ')).filter(Boolean))];
    for (const t of folded) {
      const others = map.get(t) ?? new Set<string>();
      for (const o of folded) if (o !== t) others.add(o);
      map.set(t, others);
    }
  }
  return new Map([...map].map(([k, v]) => [k, [...v]]));
}

/**
 * Edits between two words (insertions, deletions, substitutions, and two
 * neighbours swapped: scraf is one edit from scarf), the optimal string
 * alignment distance. Trigrams find candidates; this keeps the real typos.
 */
export function editDistance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[x.length]![y.length]!;
}

/** The edits a word of this length may carry and still count as a typo of another: one up to five letters, two from six. */
export const editsAllowed = (word: string) => (Array.from(word).length >= 6 ? 2 : 1);

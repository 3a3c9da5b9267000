import type { Highlight } from '@emporium/contracts';
import type { Analyzer } from './analyzer';

type Segment = Highlight['en'][number];

/**
 * Marks the pieces of `text` a query matched: its terms as written (after
 * folding, so 壺 marks 壶 and IPHONE marks iPhone), and for Chinese the
 * characters whose pinyin, in full or by initials, spells a Latin term
 * (`qingci` and `qc` mark 青瓷; `qingc`, typed so far, too). Plain segments, never HTML.
 */
export function highlight(analyzer: Analyzer, text: string, terms: readonly string[]): Segment[] {
  const chars = Array.from(text);
  const folded = Array.from(analyzer.foldAligned(text));
  const hit = new Array<boolean>(chars.length).fill(false);
  const mark = (from: number, to: number) => {
    for (let i = from; i < to; i++) hit[i] = true;
  };
  const latin = terms.filter((t) => /^[a-z0-9]+$/.test(t));
  for (const term of terms) {
    const t = Array.from(term);
    if (t.length === 0) continue;
    for (let i = 0; i + t.length <= folded.length; i++) {
      if (t.every((c, k) => folded[i + k] === c)) mark(i, i + t.length);
    }
  }
  if (latin.length > 0 && chars.some((c) => /\p{Script=Han}/u.test(c))) {
    const spelt = analyzer.pinyinPerCharacter(text);
    for (let i = 0; i < chars.length; i++) {
      if (!/\p{Script=Han}/u.test(chars[i]!)) continue;
      let full = '';
      let initials = '';
      for (let j = i; j < chars.length && j < i + 12 && /\p{Script=Han}/u.test(chars[j]!); j++) {
        full += spelt[j]!.full;
        initials += spelt[j]!.initial;
        const before = full.length - spelt[j]!.full.length;
        for (const term of latin) {
          // the term spelt out by these characters, by their initials, or ending inside the last one's
          // syllable as a shopper types (qingcichah marks 青瓷茶壶)
          if (full === term || (initials === term && term.length > 1) || (term.length > before && full.startsWith(term))) mark(i, j + 1);
        }
      }
    }
  }
  const out: Segment[] = [];
  for (let i = 0; i < chars.length; i++) {
    const last = out[out.length - 1];
    if (last && last.hit === hit[i]) last.text += chars[i]!;
    else out.push({ text: chars[i]!, hit: hit[i]! });
  }
  return out;
}

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { Jieba } from '@node-rs/jieba';
import { PinyinTable } from './pinyin';
import { SimplifiedConverter } from './simplified';

/**
 * How search reads text, the same way for documents and queries: NFKC, lower
 * case, traditional characters folded to simplified (as OpenCC's t2s does:
 * simplified.ts); Chinese segmented by jieba (its dictionary trimmed to the
 * common words, plus the catalogue's brands and categories), Latin script
 * split into words; Chinese words also spelt in pinyin, in full and by
 * initials (each word as pinyin-pro reads it: pinyin.ts).
 */
export class Analyzer {
  private readonly jieba: Jieba;
  private readonly simplified = new SimplifiedConverter();
  private readonly known = new Set<string>();
  private readonly pinyin = new PinyinTable();

  constructor(opts: { dictionaryMinFrequency: number }) {
    this.jieba = Jieba.withDict(trimmedDictionary(require.resolve('@node-rs/jieba/dict.txt'), opts.dictionaryMinFrequency));
  }

  /** Adds words jieba should keep whole (brands, category names); each once. */
  addWords(words: readonly string[]): void {
    const fresh = words.map((w) => this.fold(w).trim()).filter((w) => HAN.test(w) && !/\s/.test(w) && w.length <= 20 && !this.known.has(w));
    if (fresh.length === 0) return;
    for (const w of fresh) this.known.add(w);
    this.jieba.loadDict(Buffer.from(fresh.map((w) => `${w} 20000 nz`).join('\n')));
  }

  /** NFKC, lower case, simplified characters. */
  fold(text: string): string {
    return this.simplified.convert(text.normalize('NFKC').toLowerCase());
  }

  /**
   * Folds character by character, so index i of the answer is index i of the
   * text (what highlighting needs); a character whose fold is longer stays as it is.
   */
  foldAligned(text: string): string {
    let out = '';
    for (const ch of Array.from(text)) {
      const f = this.fold(ch);
      out += Array.from(f).length === 1 ? f : ch.toLowerCase().length === ch.length ? ch.toLowerCase() : ch;
    }
    return out;
  }

  /** The words of a text: Chinese segmented for search (whole words and the words inside them), Latin words whole. */
  words(text: string, mode: 'index' | 'query' = 'index'): string[] {
    const folded = this.fold(text);
    const out: string[] = [];
    for (const run of folded.match(RUNS) ?? []) {
      if (HAN.test(run)) {
        const parts = mode === 'index' ? this.jieba.cutForSearch(run, true) : this.jieba.cut(run, true);
        out.push(...parts.filter((p) => WORD.test(p)));
      } else out.push(run);
    }
    return unique(out.filter((w) => w.length <= 60));
  }

  /** Each Chinese character of a text (single characters find names whose words hold them). */
  characters(text: string): string[] {
    return unique(Array.from(this.fold(text)).filter((c) => HAN.test(c)));
  }

  /**
   * Pinyin of the Chinese in a text, in full and by initials: every word, and
   * the run from each word to its end (复古青瓷品茗杯 → fugu, fg, qingci, qc,
   * …, qingcipinmingbei, qcpmb, pinmingbei, pmb), so a query spelling any words
   * in a row, or the start of them, matches as a prefix.
   */
  pinyinWords(text: string): string[] {
    const folded = this.fold(text);
    const out: string[] = [];
    for (const run of folded.match(HAN_RUNS) ?? []) {
      const words = this.jieba.cut(run, true).slice(0, 16);
      const spelt = words.map((w) => this.pinyin.word(w));
      for (let i = 0; i < words.length; i++) {
        const word = spelt[i]!;
        out.push(word.join(''));
        if (word.length > 1) out.push(word.map((x) => x[0]).join(''));
        const rest = spelt.slice(i).flat();
        if (i < words.length - 1) {
          out.push(rest.join(''));
          out.push(rest.map((x) => x[0]).join(''));
        }
      }
    }
    return unique(out.filter((w) => /^[a-z]+$/.test(w) && w.length <= 60));
  }

  /** Pinyin of each character of a text, aligned with it (other characters as they are). */
  pinyinPerCharacter(text: string): { full: string; initial: string }[] {
    const out: { full: string; initial: string }[] = [];
    // each run of Chinese read by its words (a polyphone as its word reads it), anything else as it is
    for (const part of text.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu) ?? []) {
      if (!HAN.test(part)) {
        for (const c of part) out.push({ full: c.toLowerCase(), initial: c.toLowerCase() });
        continue;
      }
      for (const word of this.jieba.cut(part, true)) {
        const chars = Array.from(word);
        const spelt = this.pinyin.word(word);
        chars.forEach((c, i) => {
          const p = spelt[i] ?? c;
          out.push(p === c ? { full: c, initial: c } : { full: p, initial: p[0] ?? '' });
        });
      }
    }
    return out;
  }
}

const HAN = /\p{Script=Han}/u;
const WORD = /[\p{L}\p{N}]/u;
/** runs of Chinese, or of Latin letters and digits */
const RUNS = /\p{Script=Han}+|[\p{L}\p{N}]+/gu;
const HAN_RUNS = /\p{Script=Han}+/gu;

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/**
 * jieba's dictionary without its rare words: the whole one costs about 30 MiB
 * of memory, the words used at least `minFrequency` times about 11 MiB and
 * segment product text the same (the catalogue's own words are added on top).
 * Read through one small window, twice (to learn the size kept, then to copy
 * it into a buffer of exactly that size, which jieba keeps): the 5 MB file read
 * whole and a Buffer per kept line left about 12 MiB more in the service's RSS.
 */
export function trimmedDictionary(file: string, minFrequency: number, windowBytes = 64 * 1024): Buffer {
  if (minFrequency <= 0) return readFileSync(file);
  let size = 0;
  forEachLine(file, windowBytes, (bytes, start, end) => {
    if (frequencyOf(bytes, start, end) >= minFrequency) size += end - start + 1;
  });
  const out = Buffer.allocUnsafeSlow(size);
  let at = 0;
  forEachLine(file, windowBytes, (bytes, start, end) => {
    if (frequencyOf(bytes, start, end) < minFrequency) return;
    at += bytes.copy(out, at, start, end);
    out[at++] = 0x0a;
  });
  return out;
}

/** Calls `line` with each line of a file (without its newline) as a range of a window read into; a line longer than the window is cut. */
function forEachLine(file: string, windowBytes: number, line: (bytes: Buffer, start: number, end: number) => void): void {
  const window = Buffer.allocUnsafeSlow(windowBytes);
  const fd = openSync(file, 'r');
  try {
    let filled = 0;
    for (;;) {
      const read = readSync(fd, window, filled, window.length - filled, null);
      filled += read;
      let start = 0;
      for (;;) {
        let end = window.indexOf(0x0a, start);
        if (end >= filled) end = -1;
        // the last line may lack its newline; a line filling the whole window is taken as it is
        if (end === -1 && start < filled && (read === 0 || (start === 0 && filled === window.length))) end = filled;
        if (end === -1) break;
        line(window, start, end);
        start = end + 1;
      }
      if (read === 0) return;
      window.copy(window, 0, Math.min(start, filled), filled);
      filled -= Math.min(start, filled);
    }
  } finally {
    closeSync(fd);
  }
}

/** The number after a line's first space (`word frequency tag`), -1 without one. */
function frequencyOf(bytes: Buffer, start: number, end: number): number {
  const space = bytes.indexOf(0x20, start);
  if (space === -1 || space >= end) return -1;
  let frequency = 0;
  for (let i = space + 1; i < end && bytes[i]! >= 0x30 && bytes[i]! <= 0x39; i++) frequency = frequency * 10 + (bytes[i]! - 0x30);
  return frequency;
}

'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { useLocale } from 'next-intl';
import { useRouter } from '@/i18n/navigation';

type Segment = { text: string; hit: boolean };
type Suggestion = { productId: string; name: { 'zh-CN': string; en: string }; highlight: { 'zh-CN': Segment[]; en: Segment[] } };

/**
 * The header's search: a plain GET form to the results page (works without
 * scripts), and with them a combobox (ARIA 1.2 pattern) offering product
 * names as the shopper types: arrows move, Enter opens the chosen product or
 * searches, Escape closes. Suggestions come from `/api/v1/search/suggestions`.
 */
export function SearchBox({ label, placeholder, submit, suggestionsLabel, defaultValue }: { label: string; placeholder: string; submit: string; suggestionsLabel: string; defaultValue?: string }) {
  const locale = useLocale() as 'zh-CN' | 'en';
  const router = useRouter();
  const [q, setQ] = useState(defaultValue ?? '');
  const [items, setItems] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const id = useId();
  const listId = `${id}-list`;
  const asked = useRef(0);

  useEffect(() => {
    const text = q.trim();
    if (text.length === 0) {
      setItems([]);
      return;
    }
    const n = ++asked.current;
    const timer = setTimeout(() => {
      fetch(`/api/v1/search/suggestions?${new URLSearchParams({ q: text.slice(0, 50), limit: '8' }).toString()}`)
        .then((res) => (res.ok ? (res.json() as Promise<{ items: Suggestion[] }>) : { items: [] }))
        .then((body) => {
          // an older answer arriving late never replaces a newer one
          if (n !== asked.current) return;
          setItems(body.items);
          setActive(-1);
        })
        .catch(() => undefined);
    }, 150);
    return () => clearTimeout(timer);
  }, [q]);

  const shown = open && items.length > 0;
  const choose = (s: Suggestion) => {
    setOpen(false);
    router.push(`/products/${s.productId}`);
  };

  return (
    <form role="search" method="get" action={`/${locale}/search`} className="search-box" aria-label={label}>
      <label htmlFor={`${id}-q`} className="visually-hidden">
        {label}
      </label>
      <input
        id={`${id}-q`}
        name="q"
        type="search"
        value={q}
        maxLength={100}
        placeholder={placeholder}
        autoComplete="off"
        role="combobox"
        aria-expanded={shown}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={shown && active >= 0 ? `${id}-opt-${active}` : undefined}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && items.length > 0) {
            e.preventDefault();
            setOpen(true);
            setActive((a) => (a + 1) % items.length);
          } else if (e.key === 'ArrowUp' && items.length > 0) {
            e.preventDefault();
            setActive((a) => (a <= 0 ? items.length - 1 : a - 1));
          } else if (e.key === 'Escape') {
            setOpen(false);
            setActive(-1);
          } else if (e.key === 'Enter' && shown && active >= 0) {
            e.preventDefault();
            choose(items[active]!);
          }
        }}
      />
      <button type="submit">{submit}</button>
      <ul id={listId} role="listbox" aria-label={suggestionsLabel} className="suggestions" hidden={!shown}>
        {items.map((s, i) => (
          <li
            key={s.productId}
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => {
              e.preventDefault();
              choose(s);
            }}
          >
            <Highlighted segments={s.highlight[locale]} />
          </li>
        ))}
      </ul>
    </form>
  );
}

/** A name with the pieces the query matched in <mark>. */
export function Highlighted({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </>
  );
}

import type { ReactNode } from 'react';

/** A few named figures as a labelled description list (the summary's cards). */
export function Figures({ label, rows }: { label: string; rows: readonly (readonly [string, ReactNode])[] }) {
  return (
    <dl aria-label={label} className="summary">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

'use client';

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** One series of a chart: a count drawn as bars, or money (minor units) drawn as a line on its own axis. */
export interface Series {
  key: string;
  label: string;
  kind: 'count' | 'money';
}

const COLOURS = ['#3056d3', '#d35400', '#1e8449', '#8e44ad'];

/**
 * A chart by day with a table beside it: Recharts draws it (SVG, its
 * accessibility layer on, so a keyboard moves through the days and the
 * tooltip reads each one), and the same figures sit in a captioned table for
 * screen readers and for anyone who prefers numbers. Money comes in minor
 * units and is shown in `currency` as `locale` writes it.
 */
export function DailyChart({ title, dayLabel, rows, series, locale, currency }: { title: string; dayLabel: string; rows: Record<string, string | number>[]; series: Series[]; locale: string; currency: string }) {
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const count = new Intl.NumberFormat(locale);
  const show = (s: Series, v: number) => (s.kind === 'money' ? money.format(v / 100) : count.format(v));
  const short = (day: string) => day.slice(5);
  const hasMoney = series.some((s) => s.kind === 'money');
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div className="chart-canvas">
        <ResponsiveContainer width="100%" height={240} initialDimension={{ width: 640, height: 240 }}>
          <ComposedChart data={rows} accessibilityLayer title={title} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" tickFormatter={short} minTickGap={16} />
            <YAxis yAxisId="count" allowDecimals={false} width={40} />
            {hasMoney ? <YAxis yAxisId="money" orientation="right" width={70} tickFormatter={(v: number) => count.format(Math.round(v / 100))} /> : null}
            <Tooltip formatter={(v, _n, item) => { const s = series.find((x) => x.key === item.dataKey); return s ? show(s, Number(v)) : String(v); }} />
            <Legend />
            {series.map((s, i) =>
              s.kind === 'money' ? (
                <Line key={s.key} yAxisId="money" type="monotone" dataKey={s.key} name={s.label} stroke={COLOURS[i % COLOURS.length]} strokeWidth={2} dot={false} isAnimationActive={false} />
              ) : (
                <Bar key={s.key} yAxisId="count" dataKey={s.key} name={s.label} fill={COLOURS[i % COLOURS.length]} isAnimationActive={false} />
              ),
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <div className="chart-table" tabIndex={0} role="region" aria-label={title}>
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{dayLabel}</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={String(r.day)}>
                <th scope="row">{String(r.day)}</th>
                {series.map((s) => (
                  <td key={s.key}>{show(s, Number(r[s.key] ?? 0))}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

/** The funnel as horizontal bars, each step with its share of the first, and the same as a table. */
export function FunnelChart({ title, steps, locale, stepLabel, countLabel, shareLabel }: { title: string; steps: { label: string; value: number }[]; locale: string; stepLabel: string; countLabel: string; shareLabel: string }) {
  const first = steps[0]?.value ?? 0;
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const count = new Intl.NumberFormat(locale);
  const share = (v: number) => (first === 0 ? '—' : percent.format(v / first));
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={40 + steps.length * 36} initialDimension={{ width: 640, height: 40 + steps.length * 36 }}>
        <ComposedChart layout="vertical" data={steps} accessibilityLayer title={title} margin={{ top: 8, right: 24, bottom: 0, left: 0 }}>
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="label" width={110} />
          <Tooltip formatter={(v) => `${count.format(Number(v))} (${share(Number(v))})`} />
          <Bar dataKey="value" name={countLabel} fill={COLOURS[0]} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
      <div className="chart-table" tabIndex={0} role="region" aria-label={title}>
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{stepLabel}</th>
              <th scope="col">{countLabel}</th>
              <th scope="col">{shareLabel}</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s) => (
              <tr key={s.label}>
                <th scope="row">{s.label}</th>
                <td>{count.format(s.value)}</td>
                <td>{share(s.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

import { useId } from 'react';

export interface Datum {
  label: string;
  value: number;
  /** CSS class for the bar colour. */
  tone?: string;
}

/**
 * Vertical bar chart in plain SVG. The picture is decorative for screen readers: the same numbers
 * are in a visually hidden table, and every bar carries its value as text.
 */
export function BarChart({
  title,
  data,
  format = (n) => String(n),
  height = 160,
}: {
  title: string;
  data: Datum[];
  format?: (n: number) => string;
  height?: number;
}) {
  const id = useId();
  const max = Math.max(1, ...data.map((d) => d.value));
  const barWidth = 100 / Math.max(1, data.length);
  return (
    <figure className="chart" aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`}>{title}</figcaption>
      <svg
        viewBox={`0 0 100 ${height / 2}`}
        preserveAspectRatio="none"
        className="chart-svg"
        aria-hidden="true"
        style={{ height }}
      >
        {data.map((d, i) => {
          const h = (d.value / max) * (height / 2 - 2);
          return (
            <rect
              key={d.label}
              x={i * barWidth + barWidth * 0.12}
              y={height / 2 - h}
              width={barWidth * 0.76}
              height={h}
              className={`bar ${d.tone ?? ''}`}
            />
          );
        })}
      </svg>
      <div className="chart-labels" aria-hidden="true">
        {data.map((d) => (
          <span key={d.label} style={{ width: `${barWidth}%` }}>
            <strong>{format(d.value)}</strong>
            <small>{d.label}</small>
          </span>
        ))}
      </div>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <tbody>
          {data.map((d) => (
            <tr key={d.label}>
              <th scope="row">{d.label}</th>
              <td>{format(d.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** A line over time (e.g. resumes finished per minute). */
export function LineChart({
  title,
  points,
  format = (n) => String(n),
}: {
  title: string;
  points: { label: string; value: number }[];
  format?: (n: number) => string;
}) {
  const id = useId();
  const max = Math.max(1, ...points.map((p) => p.value));
  const w = 100;
  const h = 40;
  const step = points.length > 1 ? w / (points.length - 1) : 0;
  const path = points
    .map(
      (p, i) =>
        `${i === 0 ? 'M' : 'L'}${(i * step).toFixed(2)},${(h - (p.value / max) * (h - 2)).toFixed(2)}`,
    )
    .join(' ');
  const peak = points.reduce(
    (best, p) => (p.value > best.value ? p : best),
    points[0] ?? { label: '', value: 0 },
  );
  return (
    <figure className="chart" aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`}>{title}</figcaption>
      {points.length < 2 ? (
        <p className="sub">Not enough data yet.</p>
      ) : (
        <>
          <svg
            viewBox={`0 0 ${w} ${h}`}
            preserveAspectRatio="none"
            className="chart-svg"
            aria-hidden="true"
          >
            <path d={`${path} L${w},${h} L0,${h} Z`} className="area" />
            <path d={path} className="line" vectorEffect="non-scaling-stroke" />
          </svg>
          <p className="sub">
            {points[0]!.label} – {points[points.length - 1]!.label} · peak {format(peak.value)} at{' '}
            {peak.label}
          </p>
        </>
      )}
      <table className="visually-hidden">
        <caption>{title}</caption>
        <tbody>
          {points.map((p) => (
            <tr key={p.label}>
              <th scope="row">{p.label}</th>
              <td>{format(p.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

export function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value" data-stat={label}>
        {value}
      </span>
      {hint && <span className="sub">{hint}</span>}
    </div>
  );
}

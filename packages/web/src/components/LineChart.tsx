export interface Point {
  /** An ISO day, placed by its date on the x axis. */
  day: string;
  value: number;
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 80, right: 12, top: 10, bottom: 24 };

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/**
 * A value over time in plain SVG (a balance after each transaction): days on x at their real distance, the zero
 * line when the values cross it, the first and last day and the extremes written out for screen readers.
 */
export function LineChart({
  title,
  points,
  format,
  formatDay,
}: {
  title: string;
  points: Point[];
  format(value: number): string;
  formatDay(day: string): string;
}) {
  if (points.length < 2) return null;
  const days = points.map((point) => dayNumber(point.day));
  const values = points.map((point) => point.value);
  const [firstDay, lastDay] = [Math.min(...days), Math.max(...days)];
  const [low, high] = [Math.min(0, ...values), Math.max(0, ...values)];
  const x = (day: number) =>
    PAD.left + ((WIDTH - PAD.left - PAD.right) * (day - firstDay)) / Math.max(1, lastDay - firstDay);
  const y = (value: number) =>
    PAD.top + ((HEIGHT - PAD.top - PAD.bottom) * (high - value)) / Math.max(1e-9, high - low);
  const path = points
    .map((point, index) => `${index === 0 ? 'M' : 'L'}${x(days[index] ?? 0).toFixed(1)},${y(point.value).toFixed(1)}`)
    .join('');
  const first = points[0] as Point;
  const last = points[points.length - 1] as Point;
  const summary = `${title}: ${formatDay(first.day)} ${format(first.value)} → ${formatDay(last.day)} ${format(last.value)}; min ${format(Math.min(...values))}, max ${format(Math.max(...values))}`;
  return (
    <figure className="chart line-chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} preserveAspectRatio="xMinYMin meet">
        <line className="axis" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(0)} y2={y(0)} />
        <text x={PAD.left - 6} y={y(high) + 4} textAnchor="end">
          {format(high)}
        </text>
        {low < 0 && (
          <text x={PAD.left - 6} y={y(low) + 4} textAnchor="end">
            {format(low)}
          </text>
        )}
        <text x={PAD.left - 6} y={y(0) + 4} textAnchor="end">
          {format(0)}
        </text>
        <text x={PAD.left} y={HEIGHT - 6}>
          {formatDay(first.day)}
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end">
          {formatDay(last.day)}
        </text>
        <path className="line" d={path} />
      </svg>
    </figure>
  );
}

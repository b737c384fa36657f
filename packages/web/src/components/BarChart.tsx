export interface Bar {
  label: string;
  value: number;
  tone?: 'default' | 'warn' | 'danger';
}

/** Horizontal bars in plain SVG: readable at any width, with the figures as text for screen readers. */
export function BarChart({ title, bars, format }: { title: string; bars: Bar[]; format(value: number): string }) {
  const max = Math.max(1, ...bars.map((bar) => Math.abs(bar.value)));
  const rowHeight = 26;
  const labelWidth = 190;
  const width = 640;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${bars.length * rowHeight + 4}`}
        role="img"
        aria-label={title}
        preserveAspectRatio="xMinYMin meet"
      >
        {bars.map((bar, index) => {
          const barWidth = ((width - labelWidth - 110) * Math.abs(bar.value)) / max;
          const y = index * rowHeight + 2;
          return (
            <g key={bar.label} className={`bar bar-${bar.tone ?? 'default'}`}>
              <text x={labelWidth - 8} y={y + 16} textAnchor="end">
                {bar.label.length > 26 ? `${bar.label.slice(0, 25)}…` : bar.label}
              </text>
              <rect x={labelWidth} y={y + 3} width={Math.max(1, barWidth)} height={rowHeight - 8} rx="3" />
              <text x={labelWidth + barWidth + 6} y={y + 16}>
                {format(bar.value)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

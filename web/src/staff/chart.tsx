import { useId } from 'react';

// Grouped bar charts as inline SVG: lent (dark teal) next to borrowed (amber), with the numbers
// written on the bars, a legend and a text summary for screen readers. Colours keep 3:1 against
// white and are told apart by pattern too (borrowed bars are striped).

export interface BarGroup {
  label: string;
  lent: number;
  borrowed: number;
}

const lentColour = '#0b6e6e';
const borrowedColour = '#a35200';

export function LentBorrowedChart({ groups, title }: { groups: BarGroup[]; title: string }) {
  const stripes = `stripes-${useId().replace(/[^A-Za-z0-9]/g, '')}`;
  const max = Math.max(1, ...groups.flatMap((g) => [g.lent, g.borrowed]));
  const barW = 18;
  const gap = 6;
  const groupW = barW * 2 + gap + 22;
  const height = 180;
  const top = 16;
  const bottom = 44;
  const left = 36;
  const width = left + groups.length * groupW + 10;
  const y = (v: number) => top + (height - top - bottom) * (1 - v / max);
  const ticks = [0, Math.round(max / 2), max].filter((v, i, a) => a.indexOf(v) === i);
  const summary = groups.map((g) => `${g.label}: lent ${g.lent}, borrowed ${g.borrowed}`).join('; ');
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${Math.max(width, 240)} ${height}`} role="img" aria-label={`${title}. ${summary}`} className="chart-svg" style={{ maxWidth: `${Math.max(width, 240) * 1.6}px` }}>
        <title>{title}</title>
        <defs>
          <pattern id={stripes} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill={borrowedColour} />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" strokeWidth="2" opacity="0.45" />
          </pattern>
        </defs>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={left - 4} x2={width} y1={y(t)} y2={y(t)} stroke="#c8c8c8" strokeWidth="1" />
            <text x={left - 8} y={y(t) + 4} textAnchor="end" fontSize="12" fill="#333">
              {t}
            </text>
          </g>
        ))}
        {groups.map((g, i) => {
          const x = left + i * groupW + 8;
          return (
            <g key={g.label}>
              <rect x={x} y={y(g.lent)} width={barW} height={Math.max(0, y(0) - y(g.lent))} fill={lentColour}>
                <title>{`${g.label}: lent ${g.lent}`}</title>
              </rect>
              <rect x={x + barW + gap} y={y(g.borrowed)} width={barW} height={Math.max(0, y(0) - y(g.borrowed))} fill={`url(#${stripes})`}>
                <title>{`${g.label}: borrowed ${g.borrowed}`}</title>
              </rect>
              {g.lent > 0 ? (
                <text x={x + barW / 2} y={y(g.lent) - 3} textAnchor="middle" fontSize="11" fill="#1b1b1b">
                  {g.lent}
                </text>
              ) : null}
              {g.borrowed > 0 ? (
                <text x={x + barW * 1.5 + gap} y={y(g.borrowed) - 3} textAnchor="middle" fontSize="11" fill="#1b1b1b">
                  {g.borrowed}
                </text>
              ) : null}
              <text x={x + barW + gap / 2} y={height - bottom + 14} textAnchor="middle" fontSize="12" fill="#1b1b1b">
                {g.label}
              </text>
            </g>
          );
        })}
        <g transform={`translate(${left}, ${height - 14})`}>
          <rect width="10" height="10" fill={lentColour} />
          <text x="14" y="9" fontSize="12" fill="#1b1b1b">
            Lent
          </text>
          <rect x="60" width="10" height="10" fill={`url(#${stripes})`} />
          <text x="74" y="9" fontSize="12" fill="#1b1b1b">
            Borrowed
          </text>
        </g>
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}

/** Inline SVG charts for the HTML report: no script, no network, readable without colour. */
export interface TrendPoint {
  label: string;
  coverage: number | null;
  verified: number | null;
}

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Weekly shares as lines. A week without data (a share over no features) is a gap: the line
 * stops there and starts again after it, never bridging the missing week. Labels are thinned
 * so that they never overlap, whatever the number of weeks.
 */
export function trendChart(points: readonly TrendPoint[]): string {
  const width = 560,
    height = 200,
    left = 40,
    bottom = 30,
    top = 10;
  const span = width - left - 70;
  const x = (i: number) => left + 30 + (points.length <= 1 ? span / 2 : (i * span) / (points.length - 1));
  const y = (v: number) => top + (1 - v) * (height - top - bottom);
  const line = (key: 'coverage' | 'verified') => {
    const runs: string[][] = [[]];
    points.forEach((p, i) => {
      if (p[key] === null) runs.push([]);
      else runs[runs.length - 1]!.push(`${x(i).toFixed(1)},${y(p[key]!).toFixed(1)}`);
    });
    const lines = runs
      .filter((run) => run.length > 1)
      .map((run) => `<polyline class="${key}" fill="none" points="${run.join(' ')}"/>`)
      .join('');
    // coverage ≥ verified: the coverage dot is drawn larger, so equal shares show both
    const dots = points
      .map((p, i) =>
        p[key] === null
          ? ''
          : `<circle class="${key}" cx="${x(i).toFixed(1)}" cy="${y(p[key]!).toFixed(1)}" r="${key === 'coverage' ? 4.5 : 2.5}"><title>${esc(p.label)} ${key}: ${(p[key]! * 100).toFixed(1)}%</title></circle>`,
      )
      .join('');
    return lines + dots;
  };
  const grid = [0, 0.5, 1]
    .map(
      (v) =>
        `<line class="grid" x1="${left}" x2="${width}" y1="${y(v)}" y2="${y(v)}"/><text x="4" y="${y(v) + 4}">${v * 100}%</text>`,
    )
    .join('');
  // "W47" under each week (the full 2026-W47 in the dot's tooltip); every k-th one when they would touch
  const shortLabel = (label: string) => label.split('-')[1] ?? label;
  const labelWidth = 7 * Math.max(...points.map((p) => shortLabel(p.label).length), 1);
  const every = points.length <= 1 ? 1 : Math.max(1, Math.ceil(labelWidth / (span / (points.length - 1))));
  const labels = points
    .map((p, i) =>
      (points.length - 1 - i) % every === 0
        ? `<text class="trend-label" x="${x(i).toFixed(1)}" y="${height - 8}" text-anchor="middle">${esc(shortLabel(p.label))}</text>`
        : '',
    )
    .join('');
  const gaps = points
    .map((p, i) =>
      p.coverage === null
        ? `<text x="${x(i).toFixed(1)}" y="${y(0.5)}" text-anchor="middle" data-gap="${esc(p.label)}">·<title>${esc(p.label)}: no mapped feature shipped, no share</title></text>`
        : '',
    )
    .join('');
  const years = [...new Set(points.map((p) => p.label.split('-')[0]))].join('–');
  return `<svg role="img" aria-label="Weekly coverage and verified share, ${esc(years)}" data-chart="trend" data-points="${points.length}" viewBox="0 0 ${width} ${height}">${grid}${line('coverage')}${line('verified')}${gaps}${labels}</svg>`;
}

const bins = [
  { label: '< 1 h', max: 1 },
  { label: '1–4 h', max: 4 },
  { label: '4–24 h', max: 24 },
  { label: '1–3 d', max: 72 },
  { label: '> 3 d', max: Infinity },
];

export function histogram(hours: readonly number[]): string {
  const counts = bins.map((bin, i) => hours.filter((h) => h < bin.max && (i === 0 || h >= bins[i - 1]!.max)).length);
  const peak = Math.max(1, ...counts);
  const width = 560,
    height = 180,
    barWidth = 90,
    gap = 20;
  const bars = counts
    .map((n, i) => {
      const h = (n / peak) * (height - 50);
      const x = 20 + i * (barWidth + gap);
      return (
        `<rect class="bar" data-bin="${esc(bins[i]!.label)}" data-count="${n}" x="${x}" y="${height - 30 - h}" width="${barWidth}" height="${h}"><title>${esc(bins[i]!.label)}: ${n}</title></rect>` +
        `<text x="${x + barWidth / 2}" y="${height - 34 - h}" text-anchor="middle">${n}</text><text x="${x + barWidth / 2}" y="${height - 10}" text-anchor="middle">${esc(bins[i]!.label)}</text>`
      );
    })
    .join('');
  return `<svg role="img" aria-label="Merge to verification times" data-chart="histogram" viewBox="0 0 ${width} ${height}">${bars}</svg>`;
}

export interface FlowBar {
  id: string;
  verified: number;
  covered: number;
  uncovered: number;
  waived: number;
}

export function flowBars(flows: readonly FlowBar[]): string {
  const width = 560,
    rowHeight = 26,
    left = 140;
  const rows = flows
    .map((flow, i) => {
      const total = flow.verified + flow.covered + flow.uncovered + flow.waived;
      let x = left;
      const segments = (['verified', 'covered', 'uncovered', 'waived'] as const)
        .map((key) => {
          const w = total === 0 ? 0 : (flow[key] / total) * (width - left - 10);
          const rect =
            w > 0
              ? `<rect class="${key}" x="${x.toFixed(1)}" y="${i * rowHeight + 4}" width="${w.toFixed(1)}" height="${rowHeight - 8}"><title>${esc(flow.id)} ${key}: ${flow[key]}</title></rect>`
              : '';
          x += w;
          return rect;
        })
        .join('');
      const empty = total === 0 ? `<text x="${left}" y="${i * rowHeight + 18}">no features</text>` : '';
      return `<g data-flow="${esc(flow.id)}"><text x="4" y="${i * rowHeight + 18}">${esc(flow.id)}</text>${segments}${empty}</g>`;
    })
    .join('');
  return `<svg role="img" aria-label="Feature status per flow" data-chart="flows" viewBox="0 0 ${width} ${Math.max(1, flows.length) * rowHeight}">${rows}</svg>`;
}

export { esc };

// An SVG bar chart of the lab report: throughput per mode and stream count, and reordering per
// mode (log scale: one mode's thousands and another's zero must both stay readable). Plain SVG
// text, no dependency.
import type { LabReport } from './types.js';

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948'];
const escape = (text: string): string => text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/"/gu, '&quot;');

interface Bar {
  value: number;
  label: string;
  color: string;
}

function panel(title: string, groups: { name: string; bars: Bar[] }[], y0: number, width: number, scale: (v: number) => number): string[] {
  const height = 220;
  const top = y0 + 40;
  const left = 60;
  const plotWidth = width - left - 20;
  const groupWidth = plotWidth / Math.max(1, groups.length);
  const out = [`<text x="${left}" y="${y0 + 18}" font-size="14" font-weight="bold">${escape(title)}</text>`];
  out.push(`<line x1="${left}" y1="${top + height}" x2="${left + plotWidth}" y2="${top + height}" stroke="#333"/>`);
  for (const [g, group] of groups.entries()) {
    const barWidth = (groupWidth * 0.8) / Math.max(1, group.bars.length);
    for (const [b, bar] of group.bars.entries()) {
      const h = Math.max(0, Math.min(1, scale(bar.value))) * height;
      const x = left + g * groupWidth + groupWidth * 0.1 + b * barWidth;
      out.push(`<rect x="${x.toFixed(1)}" y="${(top + height - h).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${bar.color}"><title>${escape(`${group.name}: ${bar.label}`)}</title></rect>`);
      out.push(`<text x="${(x + barWidth / 2).toFixed(1)}" y="${(top + height - h - 4).toFixed(1)}" font-size="10" text-anchor="middle">${escape(bar.label)}</text>`);
    }
    out.push(`<text x="${(left + g * groupWidth + groupWidth / 2).toFixed(1)}" y="${top + height + 16}" font-size="12" text-anchor="middle">${escape(group.name)}</text>`);
  }
  return out;
}

export function formatLabSvg(report: LabReport): string {
  const width = Math.max(560, 140 * report.results.length + 80);
  const streams = report.settings.streams;
  const maxMbps = Math.max(1, ...report.results.flatMap((r) => r.throughput.map((t) => t.mbps)));
  const throughput = report.results.map((r) => ({
    name: r.mode,
    bars: streams.map((s, i) => {
      const mbps = r.throughput.find((t) => t.streams === s)?.mbps ?? 0;
      return { value: mbps, label: `${mbps.toFixed(0)}`, color: COLORS[i % COLORS.length] as string };
    }),
  }));
  const maxLog = Math.log10(1 + Math.max(1, ...report.results.map((r) => r.reorderPerGB)));
  const reorder = report.results.map((r) => ({ name: r.mode, bars: [{ value: r.reorderPerGB, label: r.reorderPerGB.toFixed(0), color: '#e15759' }] }));
  const legend = streams.map(
    (s, i) => `<rect x="${60 + i * 110}" y="288" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${74 + i * 110}" y="297" font-size="11">${s} stream${s === 1 ? '' : 's'}</text>`,
  );
  const body = [
    ...panel(`Throughput, Mb/s (each link ${report.settings.rate})`, throughput, 0, width, (v) => v / maxMbps),
    ...legend,
    ...panel('Reordering events (SACK reorder + OFO queue) per GB, log scale', reorder, 320, width, (v) => Math.log10(1 + v) / maxLog),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="610" viewBox="0 0 ${width} 610" font-family="sans-serif">`,
    '<rect width="100%" height="100%" fill="white"/>',
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Axis steps in seconds: whole hours and days. */
const TIME_STEPS = [3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 1209600, 2592000];

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  bars?: boolean;
}

/**
 * A time chart drawn by uPlot (a small, maintained canvas charting library), loaded with the pages
 * that show charts only. `times` are epoch seconds; `formatTime` writes the axis labels in the
 * operator's zone and language.
 */
export default function Chart({
  times,
  series,
  height = 220,
  formatTime,
  label,
  timeLabel = '',
  compact = false,
}: {
  times: number[];
  series: ChartSeries[];
  height?: number;
  formatTime: (seconds: number) => string;
  label: string;
  timeLabel?: string;
  compact?: boolean;
}) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const bars = uPlot.paths.bars!({ size: [0.7, 40] });
    const styles = getComputedStyle(document.documentElement);
    const axisColor = styles.getPropertyValue('--muted').trim() || '#888';
    const options: uPlot.Options = {
      width: element.clientWidth || 300,
      height,
      legend: { show: !compact },
      cursor: { show: !compact, points: { show: false } },
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: compact
        ? [{ show: false }, { show: false }]
        : [
            { stroke: axisColor, values: (_u, ticks) => ticks.map(formatTime), grid: { show: false }, incrs: TIME_STEPS, space: 60 },
            { stroke: axisColor, grid: { stroke: 'rgba(128,128,128,0.15)' } },
          ],
      series: [
        { label: timeLabel, value: (_u, value) => (value === null ? '' : formatTime(value)) },
        ...series.map((entry) => ({
          label: entry.label,
          stroke: entry.color,
          fill: entry.bars ? entry.color : undefined,
          width: entry.bars ? 0 : 2,
          paths: entry.bars ? bars : undefined,
          points: { show: false },
        })),
      ],
    };
    const plot = new uPlot(options, [times, ...series.map((entry) => entry.values)] as uPlot.AlignedData, element);
    const observer = new ResizeObserver(() => plot.setSize({ width: element.clientWidth || 300, height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [times, series, height, formatTime, compact, timeLabel]);
  return <div ref={container} className="chart" role="img" aria-label={label} />;
}

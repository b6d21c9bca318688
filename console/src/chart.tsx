import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';

const SEVERITY_NAMES = ['', 'low', 'medium', 'high', 'critical'];

/** The page's colours as the stylesheet resolved them for the current scheme: a canvas cannot read `currentColor`. */
function themeOf(element: HTMLElement): { ink: string; line: string; series: string[] } {
  const style = getComputedStyle(element);
  const variable = (name: string) => style.getPropertyValue(name).trim();
  return { ink: style.color, line: variable('--line'), series: ['--critical', '--high', '--medium', '--low'].map(variable) };
}

/** Re-renders when the reader switches between light and dark. */
function useColorScheme(): string {
  const query = matchMedia('(prefers-color-scheme: dark)');
  const [scheme, setScheme] = useState(query.matches ? 'dark' : 'light');
  useEffect(() => {
    const changed = () => setScheme(query.matches ? 'dark' : 'light');
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, []);
  return scheme;
}

/**
 * A uPlot chart of series over time (seconds since the epoch), sized to its box, in the page's colours.
 * `points` draws marks only; `severityAxis` labels 1–4 as low … critical.
 */
export function TimeChart(props: {
  readonly label: string;
  readonly times: readonly number[];
  readonly series: readonly { label: string; values: readonly number[] }[];
  readonly points?: boolean;
  readonly severityAxis?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  const scheme = useColorScheme();
  useEffect(() => {
    const element = box.current;
    if (element === null) return undefined;
    const theme = themeOf(element);
    const axis = { stroke: theme.ink, grid: { stroke: theme.line }, ticks: { stroke: theme.line } };
    const plot = new uPlot(
      {
        width: Math.max(320, element.clientWidth),
        height: 180,
        series: [
          {},
          ...props.series.map((series, index) => {
            const colour = theme.series[index % theme.series.length] ?? theme.ink;
            return {
              label: series.label,
              stroke: colour,
              width: props.points === true ? 0 : 2,
              points: { show: props.points === true, size: 9, fill: colour },
            };
          }),
        ],
        scales: props.severityAxis === true ? { y: { range: [0.5, 4.5] } } : {},
        axes: [
          axis,
          props.severityAxis === true
            ? { ...axis, size: 70, splits: () => [1, 2, 3, 4], values: (_plot: uPlot, splits: number[]) => splits.map((split) => SEVERITY_NAMES[split] ?? '') }
            : axis,
        ],
        legend: { show: true },
      },
      [[...props.times], ...props.series.map((series) => [...series.values])],
      element,
    );
    return () => plot.destroy();
  }, [props.times, props.series, props.points, props.severityAxis, scheme]);
  return <div class="chart" ref={box} role="img" aria-label={props.label} />;
}

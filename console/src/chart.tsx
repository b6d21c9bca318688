import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

/** A uPlot chart of series over time (seconds since the epoch), sized to its box; `points` draws marks only. */
export function TimeChart(props: {
  readonly label: string;
  readonly times: readonly number[];
  readonly series: readonly { label: string; values: readonly number[] }[];
  readonly points?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (element === null) return undefined;
    const plot = new uPlot(
      {
        width: Math.max(320, element.clientWidth),
        height: 180,
        series: [
          {},
          ...props.series.map((series, index) => ({
            label: series.label,
            stroke: ['#c0392b', '#d35400', '#b7950b', '#2471a3'][index % 4],
            width: props.points === true ? 0 : 2,
            points: { show: props.points === true, size: 9 },
          })),
        ],
        axes: [{ stroke: 'currentColor' }, { stroke: 'currentColor' }],
        legend: { show: true },
      },
      [[...props.times], ...props.series.map((series) => [...series.values])],
      element,
    );
    return () => plot.destroy();
  }, [props.times, props.series, props.points]);
  return <div class="chart" ref={box} role="img" aria-label={props.label} />;
}

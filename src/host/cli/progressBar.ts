import { Presets, SingleBar } from 'cli-progress';
import type { ReplayProgress } from '../../app/replay.js';

/**
 * A progress bar of bytes read on stderr, only when stderr is a terminal (a pipe or a CI log gets nothing),
 * and only for inputs large enough to take a moment. `stop` clears it before the summary is printed.
 */
export function byteProgressBar(options: { readonly minimumBytes?: number } = {}): { update(progress: ReplayProgress): void; stop(): void } {
  // isTTY is undefined, not false, when stderr is not a terminal.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare -- see above
  if (process.stderr.isTTY !== true) return { update: () => {}, stop: () => {} };
  const minimumBytes = options.minimumBytes ?? 8 << 20;
  let bar: SingleBar | undefined;
  return {
    update({ bytesRead, bytesTotal }) {
      if (bar === undefined) {
        if (bytesTotal < minimumBytes) return;
        bar = new SingleBar(
          {
            format: 'lure: reading [{bar}] {percentage}% · {read} of {total} MB · {eta_formatted} left',
            stream: process.stderr,
            clearOnComplete: true,
            etaBuffer: 50,
          },
          Presets.shades_classic,
        );
        bar.start(bytesTotal, 0, { read: '0', total: (bytesTotal / 1e6).toFixed(0) });
      }
      bar.update(bytesRead, { read: (bytesRead / 1e6).toFixed(0) });
    },
    stop() {
      bar?.stop();
    },
  };
}

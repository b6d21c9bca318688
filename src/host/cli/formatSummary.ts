import type { IngestReport } from '../../app/ingestReport.js';
import { totalAccepted, totalSkipped } from '../../app/ingestReport.js';
import type { TokenResolveReport } from '../../app/tokenTracker.js';
import type { Alert, Incident } from '../../domain/alerts.js';
import type { TokenMatchCount } from '../../domain/tokens.js';
import { isDeadLettered, SKIP_REASONS } from '../../domain/skips.js';

/** Source-and-app match lines shown; the rest are counted. */
const MAX_MATCH_LINES = 8;

/**
 * The human summary `lure replay` prints on stderr: records read, accepted per source and kind, skipped
 * per reason (with the categories or operations behind each), alerts per detection. Accepted plus
 * skipped always equals read; the last line says so, or says by how much it does not.
 */
export function formatSummary(
  report: IngestReport,
  alerts: readonly Alert[],
  extra: { files: number; signingKeys: number; tokenChecks: TokenResolveReport; tokenMatches: readonly TokenMatchCount[]; incidents: readonly Incident[] },
): string {
  const lines: string[] = [];
  const accepted = totalAccepted(report);
  const skipped = totalSkipped(report);
  lines.push(`lure replay: ${report.read} records read from ${extra.files} file${extra.files === 1 ? '' : 's'}`);
  lines.push(`accepted ${accepted}`);
  for (const [source, kinds] of sortedEntries(report.accepted)) {
    lines.push(
      `  ${source.padEnd(9)} ${sortedEntries(kinds)
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', ')}`,
    );
  }
  lines.push(`skipped ${skipped}`);
  for (const [reason, details] of sortedEntries(report.skipped)) {
    const total = [...details.values()].reduce((sum, count) => sum + count, 0);
    const shown = sortedEntries(details)
      .slice(0, 8)
      .map(([detail, count]) => `${detail} ${count}`);
    const more = details.size > 8 ? `, … ${details.size - 8} more` : '';
    lines.push(`  ${reason} ${total}${isDeadLettered(reason) ? ' [dead-lettered]' : ''}: ${shown.join(', ')}${more}`);
    lines.push(`    (${SKIP_REASONS[reason]})`);
  }
  const byDetection = new Map<string, number>();
  for (const alert of alerts) byDetection.set(alert.detection, (byDetection.get(alert.detection) ?? 0) + 1);
  lines.push(
    `alerts ${alerts.length}${
      alerts.length > 0
        ? `: ${[...byDetection]
            .sort()
            .map(([detection, count]) => `${detection} ${count}`)
            .join(', ')}`
        : ''
    }`,
  );
  if (extra.incidents.length > 0) {
    lines.push(`incidents ${extra.incidents.length}`);
    for (const incident of [...extra.incidents].sort((a, b) => (a.firstOccurredAt < b.firstOccurredAt ? -1 : 1)).slice(0, 10)) {
      lines.push(
        `  ${incident.id} ${incident.severity}: ${incident.alertIds.length} alert${incident.alertIds.length === 1 ? '' : 's'} (${incident.detections.join(', ')}) from ${incident.firstOccurredAt}`,
      );
    }
  }
  const tokens = report.tokens;
  if (tokens.issuancesIndexed + tokens.usesSeen > 0) {
    const checks = extra.tokenChecks;
    lines.push(
      `token issuances indexed ${tokens.issuancesIndexed}; token uses ${tokens.usesSeen}: ${tokens.usesMatchedAtOnce} matched at once, ` +
        `${tokens.usesPending} checked at end of input, ${tokens.usesNotJudged} not judged (allowlisted app or source off)`,
    );
    lines.push(
      `  checked at end: ${checks.matched} issued, ${checks.missingAlerted} never issued (alerted), ${checks.missingShadow} never issued (shadow), ` +
        `${checks.notCovered} issued before the index covered them (not judged)`,
    );
    // The apps whose uses least often matched an issuance come first: they are the ones to look at.
    const byConcern = [...extra.tokenMatches].sort((a, b) => b.unmatched - a.unmatched || b.matched + b.unmatched - (a.matched + a.unmatched));
    for (const count of byConcern.slice(0, MAX_MATCH_LINES)) {
      const judged = count.matched + count.unmatched;
      lines.push(`  ${count.source} app ${count.appId}: ${count.matched}/${judged} matched an issuance (${Math.round((100 * count.matched) / judged)}%)`);
    }
    if (byConcern.length > MAX_MATCH_LINES) lines.push(`  … ${byConcern.length - MAX_MATCH_LINES} more apps`);
  }
  if (extra.signingKeys > 0) lines.push(`signing keys loaded ${extra.signingKeys}: token observations naming any other key are anomalous`);
  lines.push(
    accepted + skipped === report.read
      ? `accounted: ${accepted} accepted + ${skipped} skipped = ${report.read} read`
      : `NOT ACCOUNTED: ${accepted} accepted + ${skipped} skipped != ${report.read} read`,
  );
  return lines.join('\n');
}

function sortedEntries<K extends string, T>(counts: ReadonlyMap<K, T>): [K, T][] {
  return [...counts].sort(([a], [b]) => a.localeCompare(b));
}

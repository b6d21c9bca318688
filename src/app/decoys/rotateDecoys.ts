import { rotationDueFinding } from '../../detections/decoyRotationDue.js';
import type { Alert } from '../../domain/alerts.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { AlertStore } from '../../ports/store/alertStore.js';
import type { IncidentStore } from '../../ports/store/incidentStore.js';
import { type AlertFolding, type DeliverAlerts, persistAlerts } from '../persistAlerts.js';
import type { DecoyLifecycles } from './decoyLifecycles.js';
import type { RotationReport } from './types.js';

export interface RotateDecoysDependencies {
  readonly lifecycles: Pick<DecoyLifecycles, 'rotateDue'>;
  readonly store: AlertStore & IncidentStore;
  readonly folding: AlertFolding;
  readonly deliver: DeliverAlerts;
  readonly clock: Clock;
  readonly logger: Logger;
}

export type RotateDecoysReport = Omit<RotationReport, 'markedDue'> & { readonly markedDue: number; readonly alerts: readonly Alert[] };

/**
 * The rotation timer's run: finish or undo interrupted operations, sweep leftovers, rotate what is due, and
 * raise `decoy.rotation.due` for hand-planted decoys that fall due (the admins must rotate and re-plant them).
 */
export async function rotateDecoys(deps: RotateDecoysDependencies): Promise<RotateDecoysReport> {
  const alerts: Alert[] = [];
  const report = await deps.lifecycles.rotateDue(async (decoy, lifecycle) => {
    const persisted = await persistAlerts(deps.store, [rotationDueFinding(decoy, lifecycle)], { ...deps.folding, now: deps.clock.now().toISOString() });
    await deps.deliver(persisted.touched, new Set(persisted.changed.map((alert) => alert.id)));
    alerts.push(...persisted.changed);
  });
  for (const failure of report.failures) deps.logger.error('decoy lifecycle failure', { failure });
  return { ...report, markedDue: report.markedDue.length, alerts };
}

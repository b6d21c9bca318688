import type { Decoy } from '../domain/decoys.js';
import type { DecoyLifecycle } from '../domain/lifecycle.js';
import type { DetectionMetadata } from './detection.js';
import type { Finding } from '../domain/findings.js';

export const DECOY_ROTATION_DUE = 'decoy.rotation.due';

/**
 * A decoy planted by hand has reached its rotation interval. Lure does not rotate it on its own: the new
 * secret would break the planted lure without anyone knowing. It asks the admins to rotate it and plant
 * the new material. Raised by the rotation timer, once per due period.
 */
export const decoyRotationDue: DetectionMetadata = {
  id: DECOY_ROTATION_DUE,
  title: 'A hand-planted decoy is due for rotation',
  description:
    'A decoy whose lure was planted by hand (or whose secret went to an admin) has passed its rotation interval; an admin must rotate it and re-plant the new material.',
  severities: ['low'],
  attack: [],
  d3fend: [],
  runbook: 'Rotate the decoy (`lure decoys rotate <id>`), plant the material it prints where the placement says, and remove the old copy.',
};

export function rotationDueFinding(decoy: Decoy, lifecycle: DecoyLifecycle): Finding {
  // Keyed by when it fell due, which a retried timer run sees unchanged: one alert per due period.
  const dueAt = lifecycle.nextRotationAt ?? lifecycle.rotationDueSince ?? '';
  const where = lifecycle.placements.flatMap((placement) => (placement.kind === 'manual' ? [placement.description] : [])).join('; ');
  return {
    detection: DECOY_ROTATION_DUE,
    severity: 'low',
    title: `Decoy ${decoy.id} is due for rotation`,
    summary: `Decoy ${decoy.id} (${decoy.kind}) passed its rotation interval of ${decoy.rotationIntervalInHours ?? '?'} hours at ${dueAt}. Its lure was planted by hand${where === '' ? '' : ` (${where})`}: rotate it and re-plant the new material.`,
    subjectKey: decoy.id,
    decoyId: decoy.id,
    suppressed: false,
    actor: {},
    target: where === '' ? {} : { resource: where },
    evidence: { source: 'lure', type: 'RotationDue', id: `${decoy.id}@${dueAt}`, time: dueAt },
  };
}

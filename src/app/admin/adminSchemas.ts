import { z } from 'zod';
import { ALERT_STATUSES, INCIDENT_STATUSES, SEVERITIES } from '../../domain/alerts.js';
import { DECOY_KINDS } from '../../domain/decoys.js';
import { DECOY_KIND_MODULES } from '../../decoys/decoyKinds.js';
import { decoyIdSchema } from '../../decoys/decoySchemaParts.js';

/**
 * The admin API's request and response shapes. Requests are validated with these (unknown fields refused);
 * the OpenAPI document is generated from the same schemas, so the two cannot drift.
 */

export const alertIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be an alert id (32 lower-case hex digits)');
export const incidentIdSchema = z.string().regex(/^inc-[0-9a-f]{24}$/, 'must be an incident id (inc- and 24 lower-case hex digits)');
export { decoyIdSchema };

const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date and time' });
const pageSize = z
  .string()
  .regex(/^\d{1,4}$/, 'must be a whole number')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be at least 1').max(500, 'must be at most 500'));
const booleanText = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true');

export const decoyListQuery = z.strictObject({
  kind: z.enum(DECOY_KINDS, { error: `must be one of ${DECOY_KINDS.join(', ')}` }).optional(),
  enabled: booleanText.optional(),
});

export const alertListQuery = z.strictObject({
  status: z.enum(ALERT_STATUSES, { error: `must be one of ${ALERT_STATUSES.join(', ')}` }).optional(),
  severity: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }).optional(),
  detection: z
    .string()
    .regex(/^[a-z][A-Za-z.]{1,80}$/, 'must be a detection id')
    .optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  top: pageSize.optional(),
  continuation: z.string().max(512).optional(),
});

export const incidentListQuery = z.strictObject({
  status: z.enum(INCIDENT_STATUSES, { error: 'must be open, acknowledged or resolved' }).optional(),
  top: pageSize.optional(),
  continuation: z.string().max(512).optional(),
});

export const auditListQuery = z.strictObject({
  from: isoTime.optional(),
  to: isoTime.optional(),
  top: pageSize.optional(),
  continuation: z.string().max(512).optional(),
});

export const emptyQuery = z.strictObject({});

/**
 * `POST /api/decoys`: register a decoy that exists (the decoy file's shape), or have Lure create one. The
 * inner object is validated by its kind's own schema, so errors name its fields (`register.kid`, `create.kind`).
 */
export const decoyPostBody = z
  .strictObject({
    register: z.record(z.string(), z.unknown()).optional().describe('A decoy in the decoy file\'s shape (README "Decoy file").'),
    create: z.record(z.string(), z.unknown()).optional().describe('A create request: `kind`, `id` and the kind\'s options (README "Decoys in your tenant").'),
  })
  .refine((body) => (body.register === undefined) !== (body.create === undefined), { error: 'must hold exactly one of register and create' });

/** `PATCH /api/decoys/{id}`: what admins control. `null` clears the memo or the rotation interval. */
export const decoyPatchBody = z
  .strictObject({
    enabled: z.boolean().optional(),
    memo: z.string().max(1024).nullable().optional(),
    rotationIntervalInHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 365)
      .nullable()
      .optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { error: 'must change at least one of enabled, memo, rotationIntervalInHours' });

/** `POST /api/alerts/{id}/ack` and `/resolve`. */
export const triageBody = z.strictObject({ note: z.string().max(2000).optional() });

// Responses: documented (and checked by the tests against real answers), not parsed.

const decoySchema = z.union(Object.values(DECOY_KIND_MODULES).map((module) => module.schema as z.ZodType) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);

const lifecycleSummary = z.object({
  createdByLure: z.boolean(),
  generations: z.array(z.object({ kind: z.string(), createdAt: z.string() })),
  placements: z
    .array(
      z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('mailItem'), decoyId: z.string() }),
        z.object({ kind: z.literal('file'), decoyId: z.string() }),
        z.object({ kind: z.literal('manual'), description: z.string() }),
      ]),
    )
    .describe('Where the lure material is planted: a mail or file decoy Lure rewrites on rotation, or a place an admin described'),
  lastRotatedAt: z.string().optional(),
  nextRotationAt: z.string().optional(),
  rotationDueSince: z.string().optional(),
  lastFailure: z.object({ at: z.string(), message: z.string() }).optional(),
});

export const decoyResource = z.object({ decoy: decoySchema, lifecycle: lifecycleSummary.optional() });
export const decoyList = z.object({ items: z.array(decoyResource) });
export const lureMaterial = z.object({
  decoyId: z.string(),
  kind: z.enum(DECOY_KINDS),
  /** Present only in the answer that created or rotated the decoy, and for honeytokens (they grant nothing). */
  material: z.string().optional(),
  advice: z.string().optional(),
  note: z.string(),
});
export const decoyChange = z.object({
  decoy: decoySchema,
  material: z.string().optional(),
  advice: z.string().optional(),
  placementsRewritten: z.array(z.string()).optional(),
});

const actorSchema = z
  .object({
    userPrincipalName: z.string(),
    userId: z.string(),
    appId: z.string(),
    servicePrincipalId: z.string(),
    ipAddress: z.string(),
    userAgent: z.string(),
  })
  .partial()
  .loose();
const triageResource = z.object({
  status: z.enum(ALERT_STATUSES),
  at: z.string(),
  by: z.object({ objectId: z.string(), userPrincipalName: z.string().optional() }),
  note: z.string().optional(),
});
export const alertResource = z
  .object({
    id: z.string(),
    detection: z.string(),
    severity: z.enum(SEVERITIES),
    title: z.string(),
    summary: z.string(),
    occurredAt: z.string(),
    detectedAt: z.string(),
    decoyId: z.string().optional(),
    actor: actorSchema,
    target: z.object({ mailbox: z.string(), objectId: z.string(), resource: z.string() }).partial().loose(),
    token: z.object({}).loose().optional(),
    evidence: z.array(z.object({ source: z.string(), type: z.string(), id: z.string(), time: z.string() })),
    count: z.number().int(),
    dedupeKey: z.string(),
    incidentId: z.string().optional(),
    status: z.enum(ALERT_STATUSES),
    triage: triageResource.optional(),
    mitre: z.array(z.string()).optional().describe("MITRE ATT&CK technique ids of the alert's detection"),
    retraction: z
      .object({
        at: z.string(),
        reason: z.string(),
        evidence: z.object({ source: z.string(), type: z.string(), id: z.string(), time: z.string() }),
        lateByMinutes: z.number(),
      })
      .optional()
      .describe('Why Lure withdrew the alert as a false alarm (status retracted): the late sign-in that issued its token'),
  })
  .describe('An alert (README "Alerts")');
export const alertPage = z.object({ items: z.array(alertResource), continuation: z.string().optional() });

export const incidentResource = z
  .object({
    id: z.string(),
    severity: z.enum(SEVERITIES),
    title: z.string(),
    firstOccurredAt: z.string(),
    lastOccurredAt: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    alertIds: z.array(z.string()),
    detections: z.array(z.string()),
    actorKeys: z.array(z.string()),
    highestAlertSeverity: z.enum(SEVERITIES),
    status: z.enum(INCIDENT_STATUSES),
    triage: triageResource.optional(),
  })
  .loose();
export const incidentTriageResult = z.object({
  incident: incidentResource,
  alerts: z
    .object({
      changed: z.number().int(),
      unchanged: z.number().int(),
      left: z.array(z.object({ alertId: z.string(), reason: z.string() })),
    })
    .describe('Its alerts: triaged now, already so, and left as they were with the reason'),
});
export const incidentPage = z.object({ items: z.array(incidentResource), continuation: z.string().optional() });

export const auditEntryResource = z.object({
  id: z.string(),
  at: z.string(),
  caller: z.object({ objectId: z.string(), userPrincipalName: z.string().optional(), appId: z.string().optional() }),
  action: z.string(),
  target: z.string(),
  outcome: z.enum(['succeeded', 'failed']),
  status: z.number().int(),
  detail: z.string().optional(),
});
export const auditPage = z.object({ items: z.array(auditEntryResource), continuation: z.string().optional() });

export const deadLetterListQuery = z.strictObject({
  top: pageSize.optional(),
  continuation: z.string().max(512).optional(),
});
export const deadLetterResource = z.object({
  id: z.string(),
  receivedAt: z.string(),
  origin: z.string(),
  reason: z.string(),
  detail: z.string(),
  excerpt: z.string().describe('The start of the record, at most 2 KB, with tokens redacted'),
});
export const deadLetterPage = z.object({ items: z.array(deadLetterResource), continuation: z.string().optional() });

const latenessSummary = z.object({
  records: z.number().int(),
  p50InSeconds: z.number(),
  p99InSeconds: z.number(),
  p999InSeconds: z.number(),
  maxInSeconds: z.number(),
});

export const statusResource = z.object({
  generatedAt: z.string(),
  sources: z.array(
    z.object({
      stream: z.string(),
      expected: z.boolean(),
      delivered: z.boolean(),
      lastArrivalAt: z.string().optional(),
      lastEventAt: z.string().optional(),
      lagInSeconds: z.number().optional(),
      expectedSince: z.string().optional(),
      silent: z.boolean(),
      likelyCause: z.string().optional(),
    }),
  ),
  neverDelivered: z.array(z.string()),
  lastHour: z.array(z.object({ origin: z.string(), records: z.number().int(), deadLettered: z.number().int(), lastEventAt: z.string().optional() })),
  channels: z.array(
    z.object({
      channel: z.string(),
      configured: z.boolean(),
      delivered: z.number().int(),
      accepted: z.number().int(),
      pending: z.number().int(),
      dead: z.number().int(),
      digested: z.number().int(),
      lastCompletedAt: z.string().optional(),
      lastError: z.string().optional(),
    }),
  ),
  keySets: z.array(z.object({ set: z.string(), fetchedAt: z.string(), ageInMinutes: z.number(), stale: z.boolean() })),
  auditSubscriptions: z.array(
    z.object({
      contentType: z.string(),
      subscribedAt: z.string().optional(),
      listedUntil: z.string().optional(),
      disabled: z
        .object({ since: z.string(), detail: z.string() })
        .optional()
        .describe('An admin disabled the subscription (AF20023): Lure will not start it again, and raises source.silent'),
    }),
  ),
  signInLateness: z
    .array(
      z.object({
        tenantId: z.string(),
        stream: z.string().describe('A sign-in category, or partition:<id> of the Entra hub'),
        last24Hours: latenessSummary,
        last7Days: latenessSummary,
      }),
    )
    .describe("How late sign-in records arrived behind their stream's furthest event time: what a token check's grace must cover"),
});

export const errorResource = z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }) });

export const detectionList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      description: z.string(),
      severities: z.array(z.enum(SEVERITIES)),
      attack: z.array(z.string()),
      d3fend: z.array(z.string()).describe('MITRE D3FEND techniques (decoys: D3-DUC, D3-DP, D3-DST, D3-DF, D3-DO)'),
      runbook: z.string(),
    }),
  ),
});

// The API's shapes, from the zod schemas the API validates and documents with: never written twice.
import type { z } from 'zod';
import type * as schemas from '../../src/app/admin/adminSchemas.js';
import type { ConsoleConfig } from '../../src/app/admin/consoleConfig.js';
import type { Decoy } from '../../src/domain/decoys.js';

export type Alert = z.infer<typeof schemas.alertResource>;
export type AlertTriage = NonNullable<Alert['triage']>;
export type IncidentTriageResult = z.infer<typeof schemas.incidentTriageResult>;
export type AlertPage = z.infer<typeof schemas.alertPage>;
export type Incident = z.infer<typeof schemas.incidentResource>;
export type IncidentPage = z.infer<typeof schemas.incidentPage>;
// The decoy schema is a union built at run time from the kind modules; its type is the domain's.
export type DecoyResource = Omit<z.infer<typeof schemas.decoyResource>, 'decoy'> & { readonly decoy: Decoy };
export interface DecoyList {
  readonly items: readonly DecoyResource[];
}
export type DecoyChange = Omit<z.infer<typeof schemas.decoyChange>, 'decoy'> & { readonly decoy: Decoy };
export type AuditPage = z.infer<typeof schemas.auditPage>;
export type DeadLetterPage = z.infer<typeof schemas.deadLetterPage>;
export type Status = z.infer<typeof schemas.statusResource>;
export type DetectionList = z.infer<typeof schemas.detectionList>;
export type ErrorBody = z.infer<typeof schemas.errorResource>;
export type { ConsoleConfig };

import type { TokenContext } from '../domain/events.js';
import { absentIfEmpty, type JsonObject, text, timestampOf } from './fields.js';

/**
 * The token an Exchange or SharePoint audit record names in `AppAccessContext`: its `uti`
 * (`UniqueTokenId`), session (`AADSessionId`) and issue time. Absent when the record names none.
 */
export function tokenOfAppAccess(appAccess: JsonObject | undefined, tenantId: string | undefined): TokenContext | undefined {
  return absentIfEmpty({
    uniqueTokenId: appAccess && text(appAccess['UniqueTokenId']),
    sessionId: appAccess && text(appAccess['AADSessionId']),
    issuedAt: appAccess && timestampOf(appAccess['IssuedAtTime']),
    kid: undefined,
    issuer: undefined,
    tenantId,
  });
}

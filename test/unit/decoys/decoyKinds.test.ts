import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Decoy } from '../../../src/domain/decoys.js';
import { DECOY_KIND_MODULES, withKind } from '../../../src/decoys/decoyKinds.js';

const decoys: Decoy[] = [
  { id: 'u', kind: 'user', enabled: true, userPrincipalName: 'svc-backup@contoso.example' },
  { id: 'a', kind: 'application', enabled: true, appId: '3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c', credentialKeyIds: [] },
  { id: 'm', kind: 'mailItem', enabled: true, mailbox: 'finance@contoso.example', alternateItemIds: [], alternateFolderIds: [], dedicatedFolder: false },
  { id: 't', kind: 'token', enabled: true, jti: 'jti-1' },
];

describe('withKind', () => {
  it("hands each decoy its own kind's module", () => {
    for (const decoy of decoys)
      assert.equal(
        withKind(decoy, (module): object => module),
        DECOY_KIND_MODULES[decoy.kind],
        decoy.kind,
      );
  });

  it("hands a create request its own kind's module", () => {
    const request = { kind: 'token', id: 't', enabled: true, placements: [] } as const;
    assert.equal(
      withKind(request, (module): object => module),
      DECOY_KIND_MODULES.token,
    );
  });

  it("lets no callback hand a decoy to another kind's module (the typecheck holds this)", () => {
    const misuse = (decoy: Decoy) =>
      // @ts-expect-error the callback's decoy is of the callback's kind, not necessarily an application decoy
      withKind(decoy, (_module, decoy) => DECOY_KIND_MODULES.application.identifiers(decoy));
    assert.equal(typeof misuse, 'function');
  });
});

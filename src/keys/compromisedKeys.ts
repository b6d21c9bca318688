/**
 * Signing keys known to be in an attacker's hands. A token naming one is forged, whatever else it says.
 * Matched by `kid` or `x5t` (for Entra keys, the base64url SHA-1 thumbprint of the certificate) and by the
 * thumbprint itself, the form threat intelligence publishes.
 */
export const COMPROMISED_KEYS: readonly { readonly kid: string; readonly thumbprint: string; readonly name: string; readonly reference: string }[] = [
  {
    kid: '1LTMzakihiRla_8z2BEJVXeWMqo',
    thumbprint: 'd4b4cccda9228624656bff33d8110955779632aa',
    name: 'Storm-0558 (the inactive Microsoft account signing key used to forge Entra and consumer tokens in 2023)',
    reference: 'Microsoft Threat Intelligence, "Analysis of Storm-0558 techniques for unauthorized email access", 2023-07-14; CISA AA23-193A',
  },
];

/** Whether a `kid` or `x5t` names a known-compromised key. */
export function isCompromisedKeyId(keyId: string | undefined): boolean {
  return keyId !== undefined && COMPROMISED_KEYS.some((key) => key.kid === keyId);
}

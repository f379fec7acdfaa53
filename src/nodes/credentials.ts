/**
 * Credentials in a scheduled service (FEATURES.md D5), pure: the run acts with the caller's identity, so the
 * service itself must carry none, or they would be stored in Temporal's history until the run. Found, as the
 * dispatch refuses them in target URLs (`literalUrlRefusal`), by shape rather than by guessing at content: a key
 * that names a secret, a URL with `user:password@`, an `Authorization`-style value.
 */

/** Key names (lower case, `-` and `_` removed) that hold secrets, also as the end of a longer key (`db_password`). */
export const CREDENTIAL_KEY_NAMES: readonly string[] = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'accesskey',
  'privatekey',
  'authorization',
  'credential',
  'credentials',
  'cookie',
];

/** A URL with credentials before its host: `scheme://user:password@host` or `scheme://user@host`. */
const URL_WITH_USERINFO = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]*@/i;
/** An HTTP authorization value: `Bearer <token>`, `Basic <base64>` (one token after the scheme, as in a header). */
const AUTHORIZATION_VALUE = /^(bearer|basic)\s+[A-Za-z0-9._~+/=-]+$/i;

function isCredentialKey(key: string): boolean {
  const normal = key.toLowerCase().replace(/[-_\s.]/g, '');
  return CREDENTIAL_KEY_NAMES.some((name) => normal === name || normal.endsWith(name));
}

/**
 * The path (`service.request_body.db.password`) of the first credential in a value, or undefined. Walks one level
 * at a time, never recursing; the value is already bounded in depth and size by its schema.
 */
export function credentialPath(value: unknown, root: string): string | undefined {
  let level: Array<{ readonly path: string; readonly value: unknown }> = [{ path: root, value }];
  while (level.length > 0) {
    const next: typeof level = [];
    for (const { path, value: node } of level) {
      if (typeof node === 'string') {
        if (URL_WITH_USERINFO.test(node.trim()) || AUTHORIZATION_VALUE.test(node.trim())) return path;
      } else if (Array.isArray(node)) {
        node.forEach((child: unknown, i) => next.push({ path: `${path}[${i}]`, value: child }));
      } else if (node !== null && typeof node === 'object') {
        for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
          const childPath = `${path}.${key}`;
          if (isCredentialKey(key)) return childPath;
          next.push({ path: childPath, value: child });
        }
      }
    }
    level = next;
  }
  return undefined;
}

// Just enough JWT handling to check what the test IdP issued.
import { createPublicKey, verify } from 'node:crypto';

export function decodeJwt(token) {
  const parts = String(token).split('.');
  if (parts.length !== 3) throw new Error('not a JWS compact serialization');
  const [header, payload] = parts.slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url')));
  return { header, payload };
}

/** Checks an RS256 signature against the issuer's JWKS; returns the decoded token. */
export async function verifyJwt(token, issuer) {
  const decoded = decodeJwt(token);
  if (decoded.header.alg !== 'RS256') throw new Error(`unexpected alg ${decoded.header.alg}`);
  const { keys } = await (await fetch(`${issuer}/jwks`)).json();
  const jwk = keys.find((k) => k.kid === decoded.header.kid);
  if (!jwk) throw new Error(`no key ${decoded.header.kid} at ${issuer}/jwks`);
  const [h, p, s] = token.split('.');
  const ok = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url'));
  if (!ok) throw new Error('bad signature');
  return decoded;
}

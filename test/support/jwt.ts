import { SignJWT } from 'jose';

/** The issuer and audience the test gateways accept (JWT_ISSUER, JWT_AUDIENCE). */
export const TEST_JWT_ISSUER = 'https://id.example.test';
export const TEST_JWT_AUDIENCE = 'rdsg-gateway';

/**
 * An HS256 token of subject `analyst-7` with these claims; `exp` as jose takes it (a duration
 * such as '5m' or seconds since the epoch), none when undefined.
 */
export function testJwt(
  secret: string,
  claims: Record<string, unknown>,
  exp?: string | number,
): Promise<string> {
  const token = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(TEST_JWT_ISSUER)
    .setAudience(TEST_JWT_AUDIENCE)
    .setSubject('analyst-7')
    .setIssuedAt();
  if (exp !== undefined) token.setExpirationTime(exp);
  return token.sign(new TextEncoder().encode(secret));
}

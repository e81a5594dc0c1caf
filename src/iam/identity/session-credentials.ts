/**
 * STS's temporary credentials, stateless: the session token carries the session (account,
 * principal, role, expiry) under an HMAC, and the secret key is an HMAC of the access key ID, both
 * with keys derived from Coffer's root key. So nothing secret is stored, every node that shares
 * the root key accepts every session, and a changed token or key ID fails the MAC.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { newIamId } from './iam-names.js';

export interface SessionClaims {
  readonly accountId: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` */
  readonly principalArn: string;
  /** `<role id>:<session name>`, GetCallerIdentity's UserId. */
  readonly userId: string;
  readonly roleArn: string;
  readonly expiresAt: number;
}

export interface SessionCredentials {
  readonly AccessKeyId: string;
  readonly SecretAccessKey: string;
  readonly SessionToken: string;
  readonly Expiration: Date;
}

export interface OpenedSession {
  readonly secret: string;
  readonly claims: SessionClaims;
  readonly expired: boolean;
}

export interface SessionIssuer {
  issue(claims: SessionClaims): SessionCredentials;
  /** The session a token names for this access key; undefined when the token is not one of ours or not for this key. */
  open(accessKeyId: string, token: string, now: Date): OpenedSession | undefined;
}

const TOKEN_PREFIX = 'CofferSessionV1';

function derive(rootKey: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', rootKey, Buffer.alloc(0), info, 32));
}

export function createSessionIssuer(rootKey: Buffer): SessionIssuer {
  const tokenKey = derive(rootKey, 'coffer sts session token');
  const secretKey = derive(rootKey, 'coffer sts session secret');
  const secretOf = (accessKeyId: string): string => createHmac('sha256', secretKey).update(accessKeyId).digest().subarray(0, 30).toString('base64');
  const macOf = (payload: string): Buffer => createHmac('sha256', tokenKey).update(payload).digest();
  return {
    issue(claims) {
      const accessKeyId = newIamId('ASIA').slice(0, 20);
      const payload = Buffer.from(JSON.stringify({ ak: accessKeyId, ...claims })).toString('base64url');
      const token = `${TOKEN_PREFIX}.${payload}.${macOf(payload).toString('base64url')}`;
      return { AccessKeyId: accessKeyId, SecretAccessKey: secretOf(accessKeyId), SessionToken: token, Expiration: new Date(claims.expiresAt) };
    },
    open(accessKeyId, token, now) {
      const [prefix, payload, mac] = token.split('.');
      if (prefix !== TOKEN_PREFIX || payload === undefined || mac === undefined) return undefined;
      const expected = macOf(payload);
      const given = Buffer.from(mac, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionClaims & { ak: string };
      if (claims.ak !== accessKeyId) return undefined;
      const { ak: _ak, ...rest } = claims;
      return { secret: secretOf(accessKeyId), claims: rest, expired: claims.expiresAt <= now.getTime() };
    },
  };
}

/**
 * Coffer's own `/_coffer/` endpoints (docs/operations.md), signed with SigV4 like the AWS calls,
 * for what the AWS API does not tell: who the signer is, which resources exist and which a draft
 * selection picks, a schedule's next runs, a plan's preflight; and, unsigned, the session
 * bootstrap and the manual clock.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Session } from '../session/session';

export interface ConsoleSession {
  readonly sandbox: boolean;
  readonly regions: readonly string[];
  readonly clock: { readonly mode: 'real' | 'manual'; readonly now: string };
  readonly sandboxCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly accountId: string };
}

export interface WhoAmI {
  readonly accountId: string;
  readonly accountName?: string;
  readonly region: string;
  readonly regions: readonly string[];
  readonly organization: {
    readonly id: string;
    readonly managementAccountId: string;
    readonly isManagementAccount: boolean;
    readonly accounts: readonly { readonly id: string; readonly name: string }[];
  } | null;
}

export interface Resource {
  readonly arn: string;
  readonly type: string;
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface PreflightCheck {
  readonly rule: string;
  readonly copyAction?: string;
  readonly check: string;
  readonly passed: boolean;
  readonly message: string;
  readonly fix?: string;
  readonly resources?: readonly string[];
  /** A failed check that fails no backup or copy job, only a later restore there (restore targets): shown as a warning. */
  readonly warning?: true;
}

export interface PreflightReport {
  readonly plan: { readonly id: string; readonly name: string };
  readonly checks: readonly PreflightCheck[];
  readonly passed: boolean;
}

export interface ScheduledRun {
  readonly time: string;
  readonly planId: string;
  readonly ruleName: string;
  readonly targetVault: string;
  readonly resources?: readonly string[];
}

export interface ClockReport {
  readonly now: string;
  readonly jobsCreated?: number;
  readonly jobsRun?: number;
}

export interface Delivery {
  readonly MessageId: string;
  readonly Subscriber: string;
  readonly BackupVaultName: string;
  readonly TopicArn: string;
  readonly EventType: string;
  readonly State: 'PENDING' | 'DELIVERED' | 'FAILED';
  readonly Attempts: number;
  readonly LastError?: string;
  readonly CreatedAt: string;
  readonly LastAttemptAt?: string;
  readonly NextAttemptAt?: string;
  readonly DeliveredAt?: string;
  readonly Subject: string;
  readonly Message: string;
  readonly MessageAttributes: Readonly<Record<string, string>>;
}

/** An answer of a `/_coffer/` endpoint that is not 2xx, with its message. */
export class CofferApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type?: string,
  ) {
    super(message);
    this.name = type ?? `HTTP ${status}`;
  }
}

async function answer<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new CofferApiError(response.status, text.slice(0, 300));
  }
  if (!response.ok) {
    const fields = body as { error?: string; type?: string };
    throw new CofferApiError(response.status, fields.error ?? `HTTP ${response.status}`, fields.type);
  }
  return body as T;
}

export async function fetchConsoleSession(): Promise<ConsoleSession> {
  return answer(await fetch('/_coffer/console/session', { cache: 'no-store' }));
}

export async function moveClock(body: { advance: string } | { set: string }): Promise<ClockReport> {
  return answer(await fetch('/_coffer/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
}

export class CofferApi {
  private readonly signer: SignatureV4;

  constructor(private readonly session: Session) {
    this.signer = new SignatureV4({
      service: 'backup',
      region: session.region,
      sha256: Sha256,
      credentials: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey },
    });
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const url = new URL(path, location.origin);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { host: url.host, ...(text === undefined ? {} : { 'content-type': 'application/json' }) };
    const query = Object.fromEntries(url.searchParams);
    const signed = await this.signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port === '' ? {} : { port: Number(url.port) }),
      path: url.pathname,
      query,
      headers,
      ...(text === undefined ? {} : { body: text }),
    });
    const sent = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name.toLowerCase() !== 'host'));
    return answer(await fetch(url, { method, headers: sent, cache: 'no-store', ...(text === undefined ? {} : { body: text }) }));
  }

  whoami(): Promise<WhoAmI> {
    return this.call('GET', '/_coffer/whoami');
  }

  resources(): Promise<{ resources: Resource[]; optIn: Record<string, boolean> }> {
    return this.call('GET', '/_coffer/resources');
  }

  matchSelection(selection: unknown): Promise<{ resources: Resource[] }> {
    return this.call('POST', '/_coffer/selections/match', { BackupSelection: selection });
  }

  previewSchedule(expression: string, timezone: string, count = 5): Promise<{ timezone: string; runs: string[] }> {
    return this.call('POST', '/_coffer/schedule/preview', { ScheduleExpression: expression, ScheduleExpressionTimezone: timezone, count });
  }

  /** The coming runs of one plan (GET /_coffer/schedule), as the scheduler will take them. */
  schedule(planId: string, days = 14): Promise<{ now: string; runs: ScheduledRun[] }> {
    return this.call('GET', `/_coffer/schedule?days=${days}&planId=${encodeURIComponent(planId)}`);
  }

  /** Vault notification deliveries of the signer's account and region, newest first (GET /_coffer/notifications). */
  deliveries(query: { state?: string; vaultName?: string; maxResults?: number } = {}): Promise<{ Deliveries: Delivery[]; NextToken?: string }> {
    const params = new URLSearchParams(
      Object.entries(query)
        .filter(([, v]) => v !== undefined && v !== '')
        .map(([k, v]) => [k, String(v)]),
    );
    const search = params.toString();
    return this.call('GET', `/_coffer/notifications${search === '' ? '' : `?${search}`}`);
  }

  preflight(planId: string): Promise<PreflightReport> {
    return this.call('GET', `/_coffer/plans/${encodeURIComponent(planId)}/preflight`);
  }
}

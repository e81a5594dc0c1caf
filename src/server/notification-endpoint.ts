/**
 * `GET /_coffer/notifications`: the signer's account and region's vault notification deliveries,
 * newest first, with their state (PENDING, DELIVERED, FAILED), attempts and last error. Query:
 * `state`, `vaultName`, `maxResults` (1-1000, default 100), `nextToken`. Signed like AWS calls.
 */
import { InvalidCursorError } from '../catalog/catalog-error.js';
import type { DeliveryState } from '../catalog/notification-outbox.js';
import { requireSigner, send } from './admin-endpoint.js';
import type { Authenticate, Endpoint, Signer } from './admin-endpoint.js';
import type { DeliveryQuery } from './notification-services.js';

export interface NotificationEndpointContext {
  readonly authenticate?: Authenticate | undefined;
  readonly notifications?: ((signer: Signer, query: DeliveryQuery) => Promise<unknown>) | undefined;
}

const STATES: readonly DeliveryState[] = ['PENDING', 'DELIVERED', 'FAILED'];

export const notificationEndpoint: Endpoint<NotificationEndpointContext> = {
  method: 'GET',
  run: async (res, ctx, request) => {
    const signer = requireSigner(
      res,
      ctx.authenticate,
      request,
      "GET /_coffer/notifications lists the signer's account and region's deliveries: sign the request with SigV4, as the console does.",
    );
    if (signer === undefined) return;
    if (ctx.notifications === undefined) {
      send(res, 503, { error: 'Coffer is not ready yet; retry when /_coffer/health answers ok.' });
      return;
    }
    const params = new URLSearchParams(request.rawQuery);
    const state = params.get('state') ?? undefined;
    if (state !== undefined && !(STATES as readonly string[]).includes(state)) {
      send(res, 400, { error: `state must be one of ${STATES.join(', ')}, not ${JSON.stringify(state)}.` });
      return;
    }
    const maxText = params.get('maxResults') ?? '100';
    const limit = Number(maxText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      send(res, 400, { error: `maxResults must be a whole number from 1 to 1000, not ${JSON.stringify(maxText)}.` });
      return;
    }
    const cursor = params.get('nextToken') ?? undefined;
    try {
      send(
        res,
        200,
        await ctx.notifications(signer, {
          state: state as DeliveryState | undefined,
          vaultName: params.get('vaultName') ?? undefined,
          page: { limit, ...(cursor === undefined ? {} : { cursor }) },
        }),
      );
    } catch (err) {
      if (!(err instanceof InvalidCursorError)) throw err;
      send(res, 400, { error: 'nextToken is not one this list handed out; start again without it.' });
    }
  },
};

/**
 * Writes items with BatchWriteItem, 25 per request, several requests in flight. Items DynamoDB
 * hands back as UnprocessedItems (throttling, capacity) are sent again after an exponential
 * backoff with jitter, until `maxAttempts` rounds have failed to place them. The SDK itself also
 * retries whole requests that fail with throttling or server errors.
 */
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import type { BatchWriteItemCommandOutput, WriteRequest } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Item } from './item-json.js';

export const BATCH_SIZE = 25;

/** What the writer needs of a DynamoDB client (a fake in tests). */
export interface BatchWriteApi {
  send(command: BatchWriteItemCommand, options?: { abortSignal?: AbortSignal }): Promise<BatchWriteItemCommandOutput>;
}

export interface BatchWriterOptions {
  readonly concurrency?: number;
  /** Rounds for one batch's unprocessed items before giving up (default 12). */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly signal?: AbortSignal;
  /** Injected for tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
}

export interface WriteStats {
  items: number;
  requests: number;
  /** Items that came back unprocessed at least once and were sent again. */
  retriedItems: number;
}

export class BatchWriter {
  readonly stats: WriteStats = { items: 0, requests: 0, retriedItems: 0 };
  readonly #inFlight = new Set<Promise<void>>();
  #pending: Item[] = [];
  #failure: unknown;

  constructor(
    private readonly api: BatchWriteApi,
    private readonly table: string,
    private readonly options: BatchWriterOptions = {},
  ) {}

  /** Queues one item; waits while the maximum number of requests is in flight. */
  async put(item: Item): Promise<void> {
    this.#pending.push(item);
    if (this.#pending.length >= BATCH_SIZE) await this.#dispatch();
  }

  /** Sends what is queued and waits for every request; throws the first failure. */
  async flush(): Promise<WriteStats> {
    if (this.#pending.length > 0) await this.#dispatch();
    await Promise.all(this.#inFlight);
    if (this.#failure !== undefined) throw this.#failure;
    return this.stats;
  }

  async #dispatch(): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    const batch = this.#pending;
    this.#pending = [];
    const task = this.#writeBatch(batch).catch((err: unknown) => {
      this.#failure ??= err;
    });
    const tracked = task.finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
    while (this.#inFlight.size >= (this.options.concurrency ?? 8)) await Promise.race(this.#inFlight);
    if (this.#failure !== undefined) throw this.#failure;
  }

  async #writeBatch(items: readonly Item[]): Promise<void> {
    const { maxAttempts = 12, baseDelayMs = 50, maxDelayMs = 5000, signal } = this.options;
    const wait = this.options.sleep ?? ((ms: number, s?: AbortSignal) => sleep(ms, undefined, { signal: s }));
    const random = this.options.random ?? Math.random;
    let requests: WriteRequest[] = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; ; attempt += 1) {
      signal?.throwIfAborted();
      this.stats.requests += 1;
      const out = await this.api.send(new BatchWriteItemCommand({ RequestItems: { [this.table]: requests } }), { abortSignal: signal });
      const left = out.UnprocessedItems?.[this.table] ?? [];
      this.stats.items += requests.length - left.length;
      if (left.length === 0) return;
      if (attempt >= maxAttempts) {
        throw new Error(`${left.length} items stayed unprocessed after ${attempt} BatchWriteItem attempts (the table's write capacity is exhausted)`);
      }
      this.stats.retriedItems += left.length;
      requests = left;
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      await wait(Math.floor(ceiling / 2 + (random() * ceiling) / 2), signal);
    }
  }
}

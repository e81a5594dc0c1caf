/**
 * Pulls up to `depth` values of an async iterable ahead of its consumer, so a slow source (a
 * paginated scan, a download) keeps working while the consumer is busy elsewhere. The first pull
 * starts at once; an error is kept and thrown at the consumer's next step.
 */
export function readAhead<T>(source: AsyncIterable<T>, depth: number): AsyncIterable<T> {
  const iterator = source[Symbol.asyncIterator]();
  const queue: Array<Promise<IteratorResult<T>>> = [];
  let done = false;
  const fill = (): void => {
    while (!done && queue.length < depth) {
      const next = iterator.next();
      next.then(
        (r) => {
          if (r.done) done = true;
        },
        () => {
          done = true;
        },
      );
      queue.push(next);
    }
  };
  // Async generators queue concurrent next() calls, so asking ahead is safe for them.
  fill();
  return {
    async *[Symbol.asyncIterator]() {
      try {
        while (queue.length > 0) {
          const result = await queue.shift()!;
          if (result.done) return;
          fill();
          yield result.value;
        }
      } finally {
        if (!done) await iterator.return?.();
      }
    },
  };
}

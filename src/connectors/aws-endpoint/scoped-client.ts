/** An SDK client made for one piece of work and destroyed after it, whatever happens (its sockets close). */
export async function withScopedClient<S, C extends { destroy(): void }, T>(
  make: (settings: S) => C,
  settings: S,
  body: (client: C) => Promise<T>,
): Promise<T> {
  const client = make(settings);
  try {
    return await body(client);
  } finally {
    client.destroy();
  }
}

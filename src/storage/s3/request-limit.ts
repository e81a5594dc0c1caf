/** At most `size` S3 requests of one store in flight; the rest wait their turn in order. */
export class RequestLimit {
  private readonly waiting: Array<() => void> = [];
  private running = 0;

  constructor(private readonly size: number) {}

  async run<T>(request: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((go) => this.waiting.push(go));
    else this.running++;
    try {
      return await request();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.running--;
      else next();
    }
  }
}

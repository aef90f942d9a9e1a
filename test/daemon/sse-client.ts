/** A small real SSE reader over fetch, for end-to-end tests: parses frames as they arrive. */
export interface SseFrame {
  id?: string;
  event: string;
  data: string;
}

export class SseReader {
  readonly frames: SseFrame[] = [];
  private readonly controller = new AbortController();
  private waiters: (() => void)[] = [];
  ended = false;
  status = 0;
  readonly done: Promise<void>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.done = this.run(url, headers);
  }

  private async run(url: string, headers: Record<string, string>): Promise<void> {
    try {
      const res = await fetch(url, { headers, signal: this.controller.signal });
      this.status = res.status;
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame: SseFrame = { event: 'message', data: '' };
          let isFrame = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const key = line.slice(0, colon);
            const value = line.slice(colon + 1).replace(/^ /, '');
            isFrame = true;
            if (key === 'data') frame.data += (frame.data ? '\n' : '') + value;
            else if (key === 'id') frame.id = value;
            else if (key === 'event') frame.event = value;
          }
          if (isFrame) this.frames.push(frame);
        }
        this.wake();
      }
    } catch {
      // aborted
    } finally {
      this.ended = true;
      this.wake();
    }
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /**
   * Wait until `predicate` holds for the frames received so far (or the stream ends); after
   * `timeoutMs`, reject with `describe()`'s account of why, instead of hanging the test file.
   */
  async until(predicate: (frames: SseFrame[]) => boolean, timeoutMs = 120_000, describe?: () => Promise<string>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.frames) && !this.ended) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const why = describe ? await describe().catch((err: Error) => err.message) : '';
        throw new Error(`no matching SSE frame within ${timeoutMs} ms (${this.frames.length} frames received) ${why}`);
      }
      await new Promise<void>((r) => {
        const timer = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          r();
        });
      });
    }
  }

  alerts(): { id: string; alert: Record<string, unknown> }[] {
    return this.frames.filter((f) => f.event === 'alert').map((f) => ({ id: f.id!, alert: JSON.parse(f.data) as Record<string, unknown> }));
  }

  close(): void {
    this.controller.abort();
  }
}

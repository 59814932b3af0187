// An in-memory Worker for unit tests: a page-side WorkerLike and a worker-side scope joined by
// structured-clone message passing (asynchronous, like the real thing), plus switches to crash it,
// garble a message, or count terminations. Used with serveRpc() to run real handlers in-process.
import type { WorkerLike, WorkerScopeLike } from '../protocol';

type Listener = (ev: Event) => void;

export class FakeWorker implements WorkerLike {
  readonly scope: WorkerScopeLike & { closed: boolean };
  terminated = false;
  /** Every message the page posted (after cloning). */
  readonly sent: unknown[] = [];
  private readonly pageListeners: Record<string, Listener[]> = { message: [], error: [], messageerror: [] };
  private readonly scopeListeners: ((ev: MessageEvent) => void)[] = [];

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the fake scope object needs its owner inside its own methods
    const self = this;
    this.scope = {
      closed: false,
      postMessage(message: unknown, transfer?: Transferable[]) {
        if (self.terminated || self.scope.closed) return;
        const data = structuredClone(message, { transfer: transfer ?? [] });
        setTimeout(() => !self.terminated && self.dispatchPage('message', new MessageEvent('message', { data })), 0);
      },
      addEventListener(_type: 'message', l: (ev: MessageEvent) => void) {
        self.scopeListeners.push(l);
      },
    };
  }

  postMessage(message: unknown, transfer?: Transferable[]): void {
    if (this.terminated) return;
    const data = structuredClone(message, { transfer: transfer ?? [] });
    this.sent.push(data);
    setTimeout(() => {
      if (this.terminated || this.scope.closed) return;
      for (const l of this.scopeListeners) l(new MessageEvent('message', { data }));
    }, 0);
  }

  terminate(): void {
    this.terminated = true;
  }

  addEventListener(type: 'message' | 'error' | 'messageerror', listener: Listener): void {
    this.pageListeners[type].push(listener);
  }

  /** Simulates an uncaught error in the worker (the page's Worker gets an "error" event). */
  crash(message = 'boom'): void {
    const ev = new Event('error') as Event & { message: string };
    ev.message = message;
    this.dispatchPage('error', ev);
  }

  /**
   * Simulates a worker that stops without any event: it called self.close(), or the browser stopped it
   * (e.g. for memory). Nothing it had running answers, and nothing reaches it any more.
   */
  closeFromInside(): void {
    this.scope.closed = true;
  }

  /** Simulates a message the page could not deserialise. */
  garble(): void {
    this.dispatchPage('messageerror', new MessageEvent('messageerror'));
  }

  private dispatchPage(type: string, ev: Event): void {
    for (const l of this.pageListeners[type] ?? []) l(ev);
  }
}

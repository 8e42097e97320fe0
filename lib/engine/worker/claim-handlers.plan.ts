import type { ClaimableHandler } from '../../interfaces/deployment-store.interface.js';
import type { HandlerRegistry } from '../handler-registry.js';

type Handlers = Readonly<Record<string, ClaimableHandler>>;

/** A handler with a per-process `concurrency`: its attempts running here decide its `limit` in a claim. */
interface CappedHandler {
  readonly concurrency: number;
  running: number;
}

/**
 * The `handlers` of this worker's claims: its registered handlers, each with its limits, those at their
 * per-process cap left out. Built once and reused while nothing changes; only handlers with `concurrency` make it
 * change (their `limit` is what their cap leaves), so a worker without them never rebuilds it.
 */
export class ClaimHandlersPlan {
  private built: Handlers | undefined;
  private count = 0;
  private version = -1;
  private bases: [string, ClaimableHandler][] = [];
  private readonly capped = new Map<string, CappedHandler>();

  constructor(
    private readonly registry: HandlerRegistry,
    /** The store keeps `ClaimRequest.handlers` (supportsDeployments); else claims name no handlers. */
    readonly enabled: boolean,
  ) {}

  /** The handlers to claim now; undefined: any (a store without deployments). */
  handlers(): Handlers | undefined {
    if (!this.enabled) return undefined;
    if (this.version !== this.registry.version) this.load();
    return (this.built ??= this.build());
  }

  /** Whether a claim now could return a task: some handler is below its cap (always, without deployments). */
  claimable(): boolean {
    if (!this.enabled) return true;
    this.handlers();
    return this.count > 0;
  }

  /** An attempt of `handler` started here. */
  started(handler: string): void {
    if (this.capped.size === 0) return;
    const capped = this.capped.get(handler);
    if (capped === undefined) return;
    capped.running++;
    this.built = undefined;
  }

  /** An attempt of `handler` ended here; true if that freed a slot of its cap (its tasks left out may wait). */
  ended(handler: string): boolean {
    if (this.capped.size === 0) return false;
    const capped = this.capped.get(handler);
    if (capped === undefined) return false;
    capped.running--;
    this.built = undefined;
    return true;
  }

  /** The registry changed: each handler's limits, made once. */
  private load(): void {
    this.version = this.registry.version;
    this.bases = [];
    for (const { name, defaults } of this.registry.entries()) {
      const base: ClaimableHandler = {};
      if (defaults.globalConcurrency !== undefined) base.globalConcurrency = defaults.globalConcurrency;
      if (defaults.rateLimit !== undefined)
        base.rateLimit = { limit: defaults.rateLimit.limit, interval: defaults.rateLimit.interval };
      this.bases.push([name, Object.freeze(base)]);
      if (defaults.concurrency !== undefined && !this.capped.has(name))
        this.capped.set(name, { concurrency: defaults.concurrency, running: 0 });
    }
    this.built = undefined;
  }

  private build(): Handlers {
    const handlers: Record<string, ClaimableHandler> = {};
    let count = 0;
    for (const [name, base] of this.bases) {
      const capped = this.capped.get(name);
      if (capped !== undefined) {
        const left = capped.concurrency - capped.running;
        if (left <= 0) continue;
        handlers[name] = { ...base, limit: left };
      } else handlers[name] = base;
      count++;
    }
    this.count = count;
    return Object.freeze(handlers);
  }
}

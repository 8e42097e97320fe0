import { Injectable } from '@nestjs/common';
import { SampleConfig } from '../config/sample-config.js';

/** A flaky partner API: each request key fails FAKE_API_FAILURES times, then succeeds. */
@Injectable()
export class FakeApiService {
  private readonly calls = new Map<string, number>();
  private readonly received: { key: string; data: unknown; at: Date }[] = [];

  constructor(private readonly config: SampleConfig) {}

  /** Counts the call; true if this one should fail. */
  receive(key: string, data: unknown): { ok: boolean; call: number } {
    const call = (this.calls.get(key) ?? 0) + 1;
    this.calls.set(key, call);
    const ok = call > this.config.fakeApiFailures;
    if (ok) this.received.push({ key, data, at: new Date() });
    return { ok, call };
  }

  /** Calls so far by request key, and what was accepted. */
  stats() {
    return { calls: Object.fromEntries(this.calls), received: [...this.received] };
  }
}

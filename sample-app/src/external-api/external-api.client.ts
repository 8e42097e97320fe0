import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { NonRetryableError } from 'nest-task-queue';
import { SampleConfig } from '../config/sample-config.js';

/** Thrown for answers worth retrying (5xx, 429, network errors). */
export class ExternalApiError extends Error {
  override readonly name = 'ExternalApiError';
}

/** Posts JSON to the partner API: EXTERNAL_API_URL, or this app's own /fake-api. */
@Injectable()
export class ExternalApiClient {
  constructor(
    private readonly config: SampleConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  async post(
    path: string,
    body: unknown,
    { idempotencyKey, signal }: { idempotencyKey: string; signal: AbortSignal },
  ): Promise<unknown> {
    const response = await fetch(`${this.baseUrl()}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(body),
      signal,
    });
    const text = await response.text();
    if (response.ok) return text ? JSON.parse(text) : undefined;
    const message = `HTTP ${response.status} from ${path}`;
    // Client errors will not get better by retrying; server errors and throttling might.
    if (response.status >= 400 && response.status < 500 && response.status !== 429)
      throw new NonRetryableError(message);
    throw new ExternalApiError(message);
  }

  private baseUrl(): string {
    if (this.config.externalApiUrl) return this.config.externalApiUrl;
    const address = this.adapterHost.httpAdapter?.getHttpServer()?.address() as AddressInfo | string | null;
    if (address === null || typeof address !== 'object')
      throw new ExternalApiError('The app is not listening yet, so its fake API cannot be called');
    return `http://127.0.0.1:${address.port}/fake-api`;
  }
}

import { Body, Controller, Get, Headers, Post, ServiceUnavailableException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { FakeApiService } from './fake-api.service.js';

/** Stands in for a partner's API, inside the sample so the demo needs no network. */
@Controller('fake-api')
export class FakeApiController {
  constructor(private readonly api: FakeApiService) {}

  /** POST /fake-api/data: 503 for the first FAKE_API_FAILURES calls of each Idempotency-Key, then 201. */
  @Post('data')
  receive(@Body() data: unknown, @Headers('idempotency-key') key?: string) {
    const requestKey = key ?? randomUUID();
    const { ok, call } = this.api.receive(requestKey, data);
    if (!ok) throw new ServiceUnavailableException(`Fake API is having a bad moment (call ${call} for ${requestKey})`);
    return { accepted: true, call };
  }

  /** GET /fake-api/calls: how many calls each key took. */
  @Get('calls')
  calls() {
    return this.api.stats();
  }
}

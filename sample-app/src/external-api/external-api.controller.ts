import { BadRequestException, Body, Controller, Post } from '@nestjs/common';
import { ExponentialBackoffRetryStrategy, TaskScheduler } from 'nest-task-queue';
import { SampleConfig } from '../config/sample-config.js';
import { SendDataToApiTask } from './send-data-to-api.task.js';

@Controller('external-api')
export class ExternalApiController {
  constructor(
    private readonly scheduler: TaskScheduler,
    private readonly config: SampleConfig,
  ) {}

  /** POST /external-api/send {"data":{...}}: posts it to the flaky API in the background, retrying with backoff. */
  @Post('send')
  async send(@Body() body: { data?: unknown }) {
    const data = body?.data;
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      throw new BadRequestException('data must be a JSON object');
    const taskId = await this.scheduler.schedule(
      SendDataToApiTask,
      { data: data as Record<string, unknown> },
      {
        maxRetries: this.config.apiMaxRetries,
        // Waits base, 2 x base, 4 x base ... between attempts (with a little jitter so retries spread out).
        retryStrategy: new ExponentialBackoffRetryStrategy({
          baseDelay: this.config.apiRetryBaseMs,
          factor: 2,
          jitter: 0.2,
        }),
      },
    );
    return { taskId };
  }
}

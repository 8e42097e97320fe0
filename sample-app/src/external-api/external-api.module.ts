import { Module } from '@nestjs/common';
import { ExternalApiClient } from './external-api.client.js';
import { ExternalApiController } from './external-api.controller.js';
import { FakeApiController } from './fake-api.controller.js';
import { FakeApiService } from './fake-api.service.js';
import { SendDataToApiTask } from './send-data-to-api.task.js';

@Module({
  controllers: [ExternalApiController, FakeApiController],
  providers: [ExternalApiClient, FakeApiService, SendDataToApiTask],
})
export class ExternalApiModule {}

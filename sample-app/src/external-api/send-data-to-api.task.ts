import { TaskHandler, type ITaskHandler, type TaskContext } from 'nest-task-queue';
import { ExternalApiClient } from './external-api.client.js';

export interface SendDataArgs {
  data: Record<string, unknown>;
}

/** Posts data to the partner API. The task id is the idempotency key, so a retry is never a duplicate. */
@TaskHandler('send-data-to-api')
export class SendDataToApiTask implements ITaskHandler<SendDataArgs> {
  constructor(private readonly api: ExternalApiClient) {}

  execute({ data }: SendDataArgs, { taskId, signal }: TaskContext) {
    return this.api.post('/data', data, { idempotencyKey: taskId, signal });
  }
}

import type * as OtelApi from '@opentelemetry/api';
import type { TaskContext } from '../../interfaces/task-handler.interface.js';

/** The span name of one attempt: `task.execute <handler>`. */
export const executionSpanName = (handler: string): string => `task.execute ${handler}`;

/**
 * OpenTelemetry messaging semantic-convention attributes of an attempt's span: the handler is the
 * destination, the task id the message id, and the attempt number (1, 2, ...) its own attribute.
 */
export function executionSpanAttributes(context: TaskContext, messagingSystem: string): OtelApi.Attributes {
  return {
    'messaging.system': messagingSystem,
    'messaging.operation.type': 'process',
    'messaging.operation.name': 'execute',
    'messaging.destination.name': context.handler,
    'messaging.message.id': context.taskId,
    'task_queue.attempt': context.attempt,
  };
}

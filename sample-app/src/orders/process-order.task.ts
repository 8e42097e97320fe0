import { TaskHandler, type ITaskHandler, type TaskContext } from 'nest-task-queue';
import { OrdersService, type OrderStepArgs } from './orders.service.js';

/** The first step of an order's pipeline: update-stock and send-invoice wait for it (dependsOn). */
@TaskHandler('process-order')
export class ProcessOrderTask implements ITaskHandler<OrderStepArgs> {
  constructor(private readonly orders: OrdersService) {}

  execute({ orderId }: OrderStepArgs, { signal }: TaskContext) {
    return this.orders.runStep(orderId, 'process-order', signal, (order) => {
      order.status = 'processed';
    });
  }
}

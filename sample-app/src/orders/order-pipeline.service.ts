import { Injectable } from '@nestjs/common';
import { TaskScheduler } from 'nest-task-queue';
import type { CreateOrderDto } from './create-order.dto.js';
import { OrdersService, type OrderStepArgs } from './orders.service.js';
import { ProcessOrderTask } from './process-order.task.js';
import { SendInvoiceTask } from './send-invoice.task.js';
import { UpdateStockTask } from './update-stock.task.js';

/**
 * Places an order and schedules its pipeline as a flow, in one atomic call: process-order first, then
 * update-stock and send-invoice once it succeeded (side by side). If process-order fails for good, the other two
 * are cancelled. Other orders' pipelines run alongside.
 */
@Injectable()
export class OrderPipeline {
  constructor(
    private readonly orders: OrdersService,
    private readonly scheduler: TaskScheduler,
  ) {}

  async place(dto: CreateOrderDto) {
    const order = this.orders.save(dto);
    const args: OrderStepArgs = { orderId: order.id };
    const processed = `order:${order.id}:process`;
    const after = { dependsOn: [processed] };
    const taskIds = await this.scheduler.scheduleMany([
      { handler: ProcessOrderTask, args, options: { taskId: processed } },
      { handler: UpdateStockTask, args, options: after },
      { handler: SendInvoiceTask, args, options: after },
    ]);
    return { ...order, taskIds };
  }
}

import { Injectable } from '@nestjs/common';
import { TaskScheduler } from 'nest-task-queue';
import type { CreateOrderDto } from './create-order.dto.js';
import { OrdersService, type OrderStepArgs } from './orders.service.js';
import { ProcessOrderTask } from './process-order.task.js';
import { SendInvoiceTask } from './send-invoice.task.js';
import { UpdateStockTask } from './update-stock.task.js';

/**
 * Places an order and schedules its pipeline. One partition per order: its three steps run one after another,
 * in this order, while other orders' steps run alongside.
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
    const options = { partitionKey: `order:${order.id}` };
    const taskIds = await this.scheduler.scheduleMany([
      { handler: ProcessOrderTask, args, options },
      { handler: UpdateStockTask, args, options },
      { handler: SendInvoiceTask, args, options },
    ]);
    return { ...order, taskIds };
  }
}

import { TaskHandler, type ITaskHandler, type TaskContext } from 'nest-task-queue';
import { OrdersService, type OrderStepArgs } from './orders.service.js';
import { StockService } from './stock.service.js';

/** After process-order, beside send-invoice. */
@TaskHandler('update-stock')
export class UpdateStockTask implements ITaskHandler<OrderStepArgs> {
  constructor(
    private readonly orders: OrdersService,
    private readonly stock: StockService,
  ) {}

  execute({ orderId }: OrderStepArgs, { signal }: TaskContext) {
    return this.orders.runStep(orderId, 'update-stock', signal, (order) => {
      this.stock.take(order.items);
      if (order.status !== 'invoiced') order.status = 'stock-updated';
    });
  }
}

import { TaskHandler, type ITaskHandler, type TaskContext } from 'nest-task-queue';
import { OrdersService, type OrderStepArgs } from './orders.service.js';
import { StockService } from './stock.service.js';

/** Step 2 of an order's pipeline. */
@TaskHandler('update-stock')
export class UpdateStockTask implements ITaskHandler<OrderStepArgs> {
  constructor(
    private readonly orders: OrdersService,
    private readonly stock: StockService,
  ) {}

  execute({ orderId }: OrderStepArgs, { signal }: TaskContext) {
    return this.orders.runStep(orderId, 'update-stock', signal, (order) => {
      this.stock.take(order.items);
      order.status = 'stock-updated';
    });
  }
}

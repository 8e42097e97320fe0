import { TaskHandler, type ITaskHandler, type TaskContext } from 'nest-task-queue';
import { MailService } from '../notifications/mail.service.js';
import { OrdersService, type OrderStepArgs } from './orders.service.js';

/** After process-order, beside update-stock. */
@TaskHandler('send-invoice')
export class SendInvoiceTask implements ITaskHandler<OrderStepArgs> {
  constructor(
    private readonly orders: OrdersService,
    private readonly mail: MailService,
  ) {}

  execute({ orderId }: OrderStepArgs, { signal }: TaskContext) {
    return this.orders.runStep(orderId, 'send-invoice', signal, async (order) => {
      const lines = order.items.map((item) => `${item.quantity} x ${item.sku}`).join(', ');
      await this.mail.send(order.customerEmail, `Invoice for order ${order.id}`, lines);
      order.status = 'invoiced';
    });
  }
}

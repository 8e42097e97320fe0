import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { OrderPipeline } from './order-pipeline.service.js';
import { OrdersController } from './orders.controller.js';
import { OrdersService } from './orders.service.js';
import { ProcessOrderTask } from './process-order.task.js';
import { SendInvoiceTask } from './send-invoice.task.js';
import { StockService } from './stock.service.js';
import { UpdateStockTask } from './update-stock.task.js';

@Module({
  imports: [NotificationsModule],
  controllers: [OrdersController],
  providers: [OrdersService, OrderPipeline, StockService, ProcessOrderTask, UpdateStockTask, SendInvoiceTask],
})
export class OrdersModule {}

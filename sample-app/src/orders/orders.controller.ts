import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { parseCreateOrder } from './create-order.dto.js';
import { OrderPipeline } from './order-pipeline.service.js';
import { OrdersService } from './orders.service.js';
import { StockService } from './stock.service.js';

@Controller()
export class OrdersController {
  constructor(
    private readonly pipeline: OrderPipeline,
    private readonly orders: OrdersService,
    private readonly stock: StockService,
  ) {}

  /** POST /orders {"customerEmail","items":[{"sku","quantity"}]}: schedules process-order, then update-stock and send-invoice. */
  @Post('orders')
  create(@Body() body: unknown) {
    return this.pipeline.place(parseCreateOrder(body));
  }

  /** GET /orders/:id: status and the steps in the order they ran. */
  @Get('orders/:id')
  get(@Param('id') id: string) {
    return this.orders.get(id);
  }

  /** GET /stock: levels of the SKUs ordered so far (each starts at 100). */
  @Get('stock')
  levels() {
    return this.stock.all();
  }
}

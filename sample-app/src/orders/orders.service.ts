import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SampleConfig } from '../config/sample-config.js';
import type { CreateOrderDto } from './create-order.dto.js';
import type { Order, OrderStepName } from './order.interface.js';

export interface OrderStepArgs {
  orderId: string;
}

/** The orders, and how a pipeline step runs. (Scheduling is in OrderPipeline: handlers import this file.) */
@Injectable()
export class OrdersService {
  private readonly orders = new Map<string, Order>();

  constructor(private readonly config: SampleConfig) {}

  save(dto: CreateOrderDto): Order {
    const order: Order = { id: `o-${randomUUID().slice(0, 8)}`, ...dto, status: 'received', steps: [] };
    this.orders.set(order.id, order);
    return order;
  }

  get(id: string): Order {
    const order = this.orders.get(id);
    if (order === undefined) throw new NotFoundException(`No order ${id}`);
    return order;
  }

  /** Runs one pipeline step: pretends to work for ORDER_STEP_MS, does `work`, records when it ran. */
  async runStep(
    orderId: string,
    step: OrderStepName,
    signal: AbortSignal,
    work: (order: Order) => Promise<void> | void,
  ): Promise<void> {
    const order = this.get(orderId);
    const startedAt = new Date();
    await sleep(this.config.orderStepMs, undefined, { signal });
    await work(order);
    order.steps.push({ step, startedAt, finishedAt: new Date() });
  }
}

import { Injectable } from '@nestjs/common';
import type { OrderItem } from './order.interface.js';

/** Stock levels by SKU; every SKU starts at 100. */
@Injectable()
export class StockService {
  private readonly levels = new Map<string, number>();

  take(items: OrderItem[]): void {
    for (const { sku, quantity } of items) this.levels.set(sku, this.level(sku) - quantity);
  }

  level(sku: string): number {
    return this.levels.get(sku) ?? 100;
  }

  all(): Record<string, number> {
    return Object.fromEntries(this.levels);
  }
}

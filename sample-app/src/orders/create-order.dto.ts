import { BadRequestException } from '@nestjs/common';
import type { OrderItem } from './order.interface.js';

export interface CreateOrderDto {
  customerEmail: string;
  items: OrderItem[];
}

/** Checks a POST /orders body (the sample has no validation library). */
export function parseCreateOrder(body: unknown): CreateOrderDto {
  const { customerEmail, items } = (body ?? {}) as Record<string, unknown>;
  if (typeof customerEmail !== 'string' || !customerEmail.includes('@'))
    throw new BadRequestException('customerEmail must be an email address');
  const valid = (item: any): item is OrderItem =>
    typeof item?.sku === 'string' && Number.isInteger(item?.quantity) && item.quantity > 0;
  if (!Array.isArray(items) || items.length === 0 || !items.every(valid)) {
    throw new BadRequestException('items must be a non-empty array of { sku: string, quantity: positive integer }');
  }
  return { customerEmail, items: items.map(({ sku, quantity }) => ({ sku, quantity })) };
}

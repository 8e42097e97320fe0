export interface OrderItem {
  sku: string;
  quantity: number;
}

export type OrderStepName = 'process-order' | 'update-stock' | 'send-invoice';

export interface OrderStep {
  step: OrderStepName;
  startedAt: Date;
  finishedAt: Date;
}

export interface Order {
  id: string;
  customerEmail: string;
  items: OrderItem[];
  status: 'received' | 'processed' | 'stock-updated' | 'invoiced';
  /** The pipeline's steps as they ran: process-order first, then the other two (in either order). */
  steps: OrderStep[];
}

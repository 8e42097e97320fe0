import { startSampleApp, type SampleApp } from './sample-app.fixture.js';

let sample: SampleApp | undefined;
afterEach(async () => {
  await sample?.close();
  sample = undefined;
});

interface Step {
  step: string;
  startedAt: string;
  finishedAt: string;
}

describe('orders: a pipeline per order, as a flow', () => {
  it('runs process-order first, then update-stock and send-invoice after it, and different orders side by side', async () => {
    sample = await startSampleApp({ orderStepMs: 50, concurrency: 4 });
    const place = (customerEmail: string, sku: string) =>
      sample!
        .http()
        .post('/orders')
        .send({ customerEmail, items: [{ sku, quantity: 2 }] })
        .expect(201);
    const [{ body: first }, { body: second }] = await Promise.all([
      place('ada@example.com', 'BOOK-42'),
      place('bob@example.com', 'BOOK-42'),
    ]);
    expect(first.taskIds).toHaveLength(3);

    await Promise.all([...first.taskIds, ...second.taskIds].map((id: string) => sample!.scheduler.waitFor(id)));

    const orders = await Promise.all(
      [first, second].map(async ({ id }) => (await sample!.http().get(`/orders/${id}`).expect(200)).body),
    );
    for (const order of orders) {
      expect(order.status).toBe('invoiced');
      expect(order.steps[0].step).toBe('process-order');
      expect(order.steps.map((s: Step) => s.step).sort()).toEqual(['process-order', 'send-invoice', 'update-stock']);
      const [a, b, c] = order.steps.map((s: Step) => ({
        start: Date.parse(s.startedAt),
        end: Date.parse(s.finishedAt),
      }));
      expect(a.end).toBeLessThanOrEqual(b.start); // both after process-order ended
      expect(a.end).toBeLessThanOrEqual(c.start);
    }
    // The two pipelines overlapped in time: each began before the other ended.
    const [x, y] = orders.map((o) => ({
      start: Date.parse(o.steps[0].startedAt),
      end: Math.max(...o.steps.map((s: Step) => Date.parse(s.finishedAt))),
    }));
    expect(x!.start).toBeLessThan(y!.end);
    expect(y!.start).toBeLessThan(x!.end);

    await sample.http().get('/stock').expect(200, { 'BOOK-42': 96 });
    const { body: outbox } = await sample.http().get('/notifications/outbox').expect(200);
    expect(outbox.map((e: { subject: string }) => e.subject).sort()).toEqual(
      [`Invoice for order ${first.id}`, `Invoice for order ${second.id}`].sort(),
    );
  });
});

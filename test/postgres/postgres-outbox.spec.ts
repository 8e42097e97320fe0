import { Injectable } from '@nestjs/common';
import pg from 'pg';
import { TaskHandler, TaskStatus, type ITaskHandler } from '../../lib/index.js';
import { createStore, describeIfUp } from '../support/store-target.js';
import { closeAfterEach, startTestApp, type TestApp } from '../support/task-queue-app.js';
import { POSTGRES_URL, postgresTarget } from './postgres.store-target.js';

const describePostgres = await describeIfUp(postgresTarget);

@Injectable()
class Receipts {
  readonly sent: string[] = [];
}

@TaskHandler('send-receipt')
class SendReceiptTask implements ITaskHandler<{ orderId: string }> {
  constructor(private readonly receipts: Receipts) {}
  execute(args: { orderId: string }) {
    this.receipts.sent.push(args.orderId);
  }
}

describePostgres('scheduling inside the caller’s transaction (TaskScheduler, PostgresTaskStore)', () => {
  const schema = postgresTarget.uniqueNamespace('outbox');
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  let app: TestApp | undefined;

  closeAfterEach(() => app);
  afterAll(async () => {
    await pool.end();
    await postgresTarget.dispose(schema);
  });

  const inTransaction = async (work: (client: pg.PoolClient) => Promise<void>, commit: boolean) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query(commit ? 'COMMIT' : 'ROLLBACK');
    } finally {
      client.release();
    }
  };

  it('runs a task scheduled in a committed transaction; a rolled-back one schedules nothing', async () => {
    app = await startTestApp({
      queue: { store: createStore(postgresTarget, schema) },
      providers: [Receipts, SendReceiptTask],
    });
    const { scheduler } = app;
    let rolledBack = '';
    await inTransaction(async (client) => {
      rolledBack = await scheduler.schedule(SendReceiptTask, { orderId: 'rolled-back' }, { transaction: client });
    }, false);
    let committed = '';
    await inTransaction(async (client) => {
      committed = await scheduler.schedule(SendReceiptTask, { orderId: 'committed' }, { transaction: client });
      expect(await scheduler.getTask(committed)).toBeUndefined(); // not visible outside the transaction yet
    }, true);
    const done = await app.nextEvent((e) => e.type === 'succeeded' && e.taskId === committed);
    expect(done.taskId).toBe(committed);
    expect(app.app.get(Receipts).sent).toEqual(['committed']);
    expect(await scheduler.getTask(rolledBack)).toBeUndefined();
    expect((await scheduler.getTask(committed))!.status).toBe(TaskStatus.Succeeded);
  });
});

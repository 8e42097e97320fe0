import { Injectable } from '@nestjs/common';
import { TaskScheduler } from 'nest-task-queue';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { ActivityDigestTask } from '../activity/activity-digest.task.js';
import { SampleConfig } from '../config/sample-config.js';
import { Clock } from '../tasks/clock.service.js';
import { DemoHttpClient } from './demo-http.client.js';

/**
 * The walkthrough `npm start` runs (unless DEMO=0): every scenario through the app's own HTTP API, while
 * TaskEventsPrinter prints the task events as they happen.
 */
@Injectable()
export class DemoService {
  constructor(
    private readonly config: SampleConfig,
    private readonly scheduler: TaskScheduler,
    private readonly clock: Clock,
  ) {}

  async run(baseUrl: string): Promise<void> {
    const http = new DemoHttpClient(baseUrl, (line) => this.say(`  ${line}`));
    const { welcomeDelayMs, fileTtlMs, fakeApiFailures, apiRetryBaseMs, orderStepMs } = this.config;
    this.intro();

    this.step('1. Delayed notification and event-driven fan-out');
    this.say('POST /users publishes UserRegistered; its listener schedules three tasks: create-profile and');
    this.say(`log-activity now, send-welcome-email in ${seconds(welcomeDelayMs)} (WELCOME_DELAY_MS).`);
    const ada = await http.post(
      '/users',
      { email: 'ada@example.com', name: 'Ada' },
      { show: ['id', 'welcomeEmailTaskId'] },
    );
    await this.scheduler.whenIdle(); // the two immediate tasks; a delayed task does not count until due

    this.step('2. Cancellation');
    this.say('Bob registers, then unsubscribes before his welcome email is due: it is cancelled by its task id.');
    const bob = await http.post(
      '/users',
      { email: 'bob@example.com', name: 'Bob' },
      { show: ['id', 'welcomeEmailTaskId'] },
    );
    await this.scheduler.whenIdle();
    await http.post(`/users/${bob.id}/unsubscribe`);

    this.step('3. Retry with exponential backoff');
    this.say(`The fake partner API fails each request ${fakeApiFailures} times (503). The task retries after`);
    this.say(
      `~${seconds(apiRetryBaseMs)}, then ~${seconds(2 * apiRetryBaseMs)} (API_RETRY_BASE_MS, doubling), and gets through.`,
    );
    const sync = await http.post('/external-api/send', { data: { invoice: 'INV-1001', amount: 99.99 } });
    await this.scheduler.waitFor(sync.taskId);
    await http.get('/fake-api/calls', { show: ['calls'] });

    this.step('4. Order pipeline, a flow per order');
    this.say(`Two orders of three steps each (${orderStepMs} ms apiece, ORDER_STEP_MS), each a flow: process-order,`);
    this.say('then update-stock and send-invoice (dependsOn) side by side; the two orders run side by side too.');
    const show = ['id', 'status', 'taskIds'];
    const first = await http.post(
      '/orders',
      { customerEmail: 'ada@example.com', items: [{ sku: 'BOOK-42', quantity: 1 }] },
      { show },
    );
    const second = await http.post(
      '/orders',
      { customerEmail: 'bob@example.com', items: [{ sku: 'PEN-7', quantity: 3 }] },
      { show },
    );
    await Promise.all([...first.taskIds, ...second.taskIds].map((id: string) => this.scheduler.waitFor(id)));
    for (const { id } of [first, second]) {
      const order = await http.get(`/orders/${id}`, { show: ['id', 'status'] });
      this.say(`  steps of ${id}: ${order.steps.map((s: { step: string }) => s.step).join(' -> ')}`);
    }

    this.step('5. Cleanup of temporary files');
    this.say(`An upload goes to ${this.config.uploadDir} and is deleted ${seconds(fileTtlMs)} later (FILE_TTL_MS).`);
    const file = await http.upload('/files', 'report.csv', 'id,total\n1,99.99\n', {
      show: ['name', 'deleteAt', 'cleanupTaskId'],
    });
    this.say("Waiting for Ada's welcome email and the cleanup, both still pending...");
    await Promise.all([this.scheduler.waitFor(ada.welcomeEmailTaskId), this.scheduler.waitFor(file.cleanupTaskId)]);
    await http.get(`/files/${file.name}`, { expect: 404 });
    this.say('Ada got her welcome email; Bob, who unsubscribed, got only his invoice:');
    await http.get('/notifications/outbox', { show: ['to', 'subject'] });

    this.step('6. A recurring task, once per cluster');
    this.say('ActivityDigestTask is declared with @Recurring({ cron: "0 * * * *" }): every hour, however many');
    this.say('replicas run, one of them sums up the activity. For the demo, one more schedule runs every second,');
    this.say('twice, added at run time with scheduler.scheduleRecurring():');
    const key = 'activity-digest:demo';
    const twoRuns = firstValueFrom(
      this.scheduler.events$.pipe(
        filter((event) => event.type === 'succeeded' && event.taskId.startsWith(`${key}@`)),
        take(2),
        toArray(),
      ),
    );
    await this.scheduler.scheduleRecurring(key, ActivityDigestTask, undefined, {
      every: 1_000,
      endAt: new Date(Date.now() + 2_500),
    });
    await twoRuns;
    await http.get('/tasks/recurring', { show: ['key', 'cron', 'every', 'nextRunAt', 'lastTaskId'] });
    await http.get('/activity/digests');
    await this.scheduler.removeRecurring(key);

    this.step('7. Inspection');
    await http.get(`/tasks/${sync.taskId}`, {
      show: ['handler', 'status', 'attempts', 'maxRetries', 'lastError', 'result'],
    });
    const cancelled = await http.get('/tasks?status=cancelled', { show: ['counts'] });
    this.say(`  cancelled: ${cancelled.tasks.map((t: { id: string }) => t.id).join(', ')}`);
    this.outro();
  }

  private intro(): void {
    const store = this.config.taskStore === 'memory' ? 'the in-memory store' : `the ${this.config.taskStore} store`;
    this.say('');
    this.say(`nest-task-queue sample: a walkthrough of every scenario, on ${store}.`);
    this.say('Lines starting with +seconds are task events from scheduler.events$; lines starting with $ are');
    this.say('HTTP calls the demo makes to this app, as you would with curl. Nest logs only warnings and errors');
    this.say('during the demo; DEMO=0 skips the walkthrough and logs as usual.');
  }

  private outro(): void {
    const base = `http://localhost:${this.config.port}`;
    this.step(`Demo done at ${this.clock.stamp().trim()}. The app keeps serving ${base}; try:`);
    this.say(`  curl -X POST ${base}/users -H 'content-type: application/json' -d '{"email":"you@example.com"}'`);
    this.say(`  curl ${base}/tasks?status=pending`);
    this.say(`Ctrl+C stops it.`);
  }

  private step(title: string): void {
    this.say('');
    this.say(`== ${title}`);
  }

  private say(line: string): void {
    console.log(line);
  }
}

const seconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);

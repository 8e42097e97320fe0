import { startSampleApp, type SampleApp } from './sample-app.fixture.js';

let sample: SampleApp | undefined;
afterEach(async () => {
  await sample?.close();
  sample = undefined;
});

describe('activity digest: a recurring task', () => {
  it('is declared hourly with @Recurring (GET /tasks/recurring), and a run-time schedule sums up the activity', async () => {
    sample = await startSampleApp();
    const { body: schedules } = await sample.http().get('/tasks/recurring').expect(200);
    const nextHour = new Date(Math.ceil((Date.now() + 1) / 3_600_000) * 3_600_000).toISOString();
    expect(schedules).toEqual([
      expect.objectContaining({
        key: 'activity-digest',
        handler: 'activity-digest',
        cron: '0 * * * *',
        nextRunAt: nextHour,
      }),
    ]);

    await sample.http().post('/users').send({ email: 'ada@example.com' }).expect(201);
    await sample.scheduler.whenIdle();
    const info = await sample.scheduler.scheduleRecurring('digest:now', 'activity-digest', undefined, {
      every: 1_000,
      endAt: new Date(Date.now() + 1_500),
    });
    const taskId = `digest:now@${info.nextRunAt!.toISOString()}`;
    await sample.scheduler.waitFor(taskId);
    const { body: digests } = await sample.http().get('/activity/digests').expect(200);
    expect(digests).toEqual([expect.objectContaining({ taskId, actions: { UserRegistered: 1 } })]);
  });
});

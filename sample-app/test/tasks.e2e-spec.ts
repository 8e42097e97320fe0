import { startSampleApp, type SampleApp } from './sample-app.fixture.js';

let sample: SampleApp | undefined;
afterEach(async () => {
  await sample?.close();
  sample = undefined;
});

describe('tasks: inspection over HTTP', () => {
  it('GET /tasks/:id shows status, attempts and the last error; GET /tasks lists tasks by status', async () => {
    // The fake API fails more often than the task retries: it ends failed.
    sample = await startSampleApp({ fakeApiFailures: 5, apiMaxRetries: 1, apiRetryBaseMs: 10, welcomeDelayMs: 60_000 });
    const { body: failing } = await sample
      .http()
      .post('/external-api/send')
      .send({ data: { n: 1 } })
      .expect(201);
    const { body: user } = await sample.http().post('/users').send({ email: 'ada@example.com' }).expect(201);
    await sample.scheduler.waitFor(failing.taskId);

    const { body: task } = await sample.http().get(`/tasks/${failing.taskId}`).expect(200);
    expect(task).toMatchObject({
      id: failing.taskId,
      handler: 'send-data-to-api',
      status: 'failed',
      attempts: 2,
      maxRetries: 1,
      lastError: { name: 'ExternalApiError', message: 'HTTP 503 from /data' },
    });
    expect(task.lastError.stack).toBeUndefined();

    const ids = async (query: string) =>
      (await sample!.http().get(`/tasks?${query}`).expect(200)).body.tasks.map((t: { id: string }) => t.id);
    expect(await ids('status=failed')).toEqual([failing.taskId]);
    // The hourly activity digest (@Recurring) keeps its next occurrence pending too.
    const digest = `activity-digest@${new Date(Math.ceil((Date.now() + 1) / 3_600_000) * 3_600_000).toISOString()}`;
    expect(await ids('status=pending')).toEqual([user.welcomeEmailTaskId, digest]);
    expect(await ids('status=pending,failed&limit=1')).toEqual([user.welcomeEmailTaskId]); // newest first
    const { body: all } = await sample.http().get('/tasks').expect(200);
    expect(all.counts).toMatchObject({ failed: 1, pending: 2, succeeded: 2, running: 0, cancelled: 0 });

    await sample.http().get('/tasks/no-such-task').expect(404);
    await sample.http().get('/tasks?status=done').expect(400);
  });
});

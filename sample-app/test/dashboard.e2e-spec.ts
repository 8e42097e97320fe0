import { startSampleApp, type SampleApp } from './sample-app.fixture.js';

let sample: SampleApp | undefined;
afterEach(async () => {
  await sample?.close();
  sample = undefined;
});

describe('dashboard: the task queue in the browser at /dashboard', () => {
  it("serves the overview page and its JSON API, which shows the sample's tasks", async () => {
    sample = await startSampleApp({});
    const { body } = await sample
      .http()
      .post('/external-api/send')
      .send({ data: { n: 1 } })
      .expect(201);
    await sample.scheduler.waitFor(body.taskId);
    const page = await sample.http().get('/dashboard').expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('data-base="/dashboard"');
    const overview = await sample.http().get('/dashboard/api/overview').expect(200);
    expect(overview.body.counts.succeeded).toBeGreaterThanOrEqual(1);
    const task = await sample.http().get(`/dashboard/api/tasks/${body.taskId}`).expect(200);
    expect(task.body).toMatchObject({
      id: body.taskId,
      handler: 'send-data-to-api',
      status: 'succeeded',
      argsShown: true,
    });
  });
});

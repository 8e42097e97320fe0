import { startSampleApp, type SampleApp } from './sample-app.fixture.js';

let sample: SampleApp | undefined;
afterEach(async () => {
  await sample?.close();
  sample = undefined;
});

describe('metrics: GET /metrics for Prometheus', () => {
  it('counts task outcomes by handler', async () => {
    sample = await startSampleApp({ fakeApiFailures: 1, apiMaxRetries: 2, apiRetryBaseMs: 10 });
    const { body } = await sample
      .http()
      .post('/external-api/send')
      .send({ data: { n: 1 } })
      .expect(201);
    await sample.scheduler.waitFor(body.taskId);
    const { text, headers } = await sample.http().get('/metrics').expect(200);
    expect(headers['content-type']).toContain('text/plain');
    expect(text).toContain('task_queue_tasks_total{handler="send-data-to-api",outcome="retried"} 1');
    expect(text).toContain('task_queue_tasks_total{handler="send-data-to-api",outcome="succeeded"} 1');
  });

  it('starts from zero in a second app in the same process', async () => {
    sample = await startSampleApp({});
    const { text } = await sample.http().get('/metrics').expect(200);
    expect(text).not.toContain('outcome="retried"} 1');
  });
});

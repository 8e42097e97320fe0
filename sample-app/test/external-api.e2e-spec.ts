import { recordEvents, startSampleApp, type SampleApp } from './sample-app.fixture.js';

let sample: SampleApp | undefined;
afterEach(async () => {
  await sample?.close();
  sample = undefined;
});

describe('external API: retry with exponential backoff', () => {
  it('retries after 503s with growing delays and succeeds on the third call', async () => {
    sample = await startSampleApp({ fakeApiFailures: 2, apiMaxRetries: 4, apiRetryBaseMs: 20 });
    const recorder = recordEvents(sample.scheduler);

    const { body } = await sample
      .http()
      .post('/external-api/send')
      .send({ data: { invoice: 'INV-1' } })
      .expect(201);
    const task = await sample.scheduler.waitFor(body.taskId);
    recorder.stop();

    expect(task).toMatchObject({ status: 'succeeded', attempts: 3, result: { accepted: true, call: 3 } });
    expect(task.lastError).toMatchObject({ name: 'ExternalApiError', message: 'HTTP 503 from /data' });
    const { body: api } = await sample.http().get('/fake-api/calls').expect(200);
    expect(api.calls).toEqual({ [body.taskId]: 3 });
    expect(api.received).toEqual([expect.objectContaining({ key: body.taskId, data: { invoice: 'INV-1' } })]);

    const events = recorder.events.filter((e) => e.taskId === body.taskId && e.type !== 'scheduled');
    expect(events.map((e) => `${e.type}#${e.attempt}`)).toEqual([
      'started#1',
      'failed#1',
      'started#2',
      'failed#2',
      'started#3',
      'succeeded#3',
    ]);
    const failures = events.filter((e) => e.type === 'failed');
    expect(failures.every((e) => e.willRetry)).toBe(true);
    // Backoff: 20 ms, then 40 ms, each less up to 20 % jitter (and the ms between deciding and emitting).
    const delays = failures.map((e) => e.retryAt!.getTime() - e.timestamp);
    expect(delays[0]).toBeLessThanOrEqual(20);
    expect(delays[1]).toBeGreaterThanOrEqual(30);
    // Both waits happened: at least 16 + 32 ms between scheduling and success.
    expect(task.finishedAt!.getTime() - task.createdAt.getTime()).toBeGreaterThanOrEqual(48);
  });
});

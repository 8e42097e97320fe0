import { startSampleApp, type SampleApp } from './sample-app.fixture.js';

let sample: SampleApp | undefined;
afterEach(async () => {
  await sample?.close();
  sample = undefined;
});

describe('users: delayed notification, cancellation, event-driven fan-out', () => {
  it('POST /users sends the welcome email after WELCOME_DELAY_MS, not before', async () => {
    sample = await startSampleApp({ welcomeDelayMs: 100 });
    const { body: user } = await sample
      .http()
      .post('/users')
      .send({ email: 'ada@example.com', name: 'Ada' })
      .expect(201);

    const task = await sample.scheduler.waitFor(user.welcomeEmailTaskId);

    expect(task).toMatchObject({ status: 'succeeded', handler: 'send-welcome-email', attempts: 1 });
    expect(task.runAt.getTime() - task.createdAt.getTime()).toBe(100);
    const { body: outbox } = await sample.http().get('/notifications/outbox?to=ada@example.com').expect(200);
    expect(outbox).toEqual([expect.objectContaining({ to: 'ada@example.com', subject: 'Welcome, Ada!' })]);
    expect(Date.parse(outbox[0].sentAt) - Date.parse(user.createdAt)).toBeGreaterThanOrEqual(100);
  });

  it('POST /users/:id/unsubscribe cancels the pending welcome email, which is never sent', async () => {
    // Bob registers (and unsubscribes) first, Ada next: once Ada's email went out, Bob's was due too.
    sample = await startSampleApp({ welcomeDelayMs: 750 });
    const { body: bob } = await sample.http().post('/users').send({ email: 'bob@example.com' }).expect(201);
    const { body: ada } = await sample.http().post('/users').send({ email: 'ada@example.com' }).expect(201);

    const { body: unsubscribed } = await sample.http().post(`/users/${bob.id}/unsubscribe`).expect(200);
    expect(unsubscribed).toEqual({ userId: bob.id, subscribed: false, welcomeEmailCancelled: true });

    await sample.scheduler.waitFor(ada.welcomeEmailTaskId);
    const { body: outbox } = await sample.http().get('/notifications/outbox').expect(200);
    expect(outbox.map((email: { to: string }) => email.to)).toEqual(['ada@example.com']);
    const { body: task } = await sample.http().get(`/tasks/${bob.welcomeEmailTaskId}`).expect(200);
    expect(task).toMatchObject({ status: 'cancelled', attempts: 0 });
    // Unsubscribing again finds nothing left to cancel.
    await sample
      .http()
      .post(`/users/${bob.id}/unsubscribe`)
      .expect(200, { userId: bob.id, subscribed: false, welcomeEmailCancelled: false });
  });

  it('UserRegistered fans out to send-welcome-email, create-profile and log-activity, all done', async () => {
    sample = await startSampleApp({ welcomeDelayMs: 20 });
    const { body: user } = await sample
      .http()
      .post('/users')
      .send({ email: 'grace@example.com', name: 'Grace' })
      .expect(201);

    await sample.scheduler.waitFor(user.welcomeEmailTaskId);
    await sample.scheduler.whenIdle();

    const { body: tasks } = await sample.http().get('/tasks?status=succeeded').expect(200);
    const handlers = tasks.tasks
      .filter((t: { args: { userId: string } }) => t.args.userId === user.id)
      .map((t: { handler: string }) => t.handler);
    expect(handlers.sort()).toEqual(['create-profile', 'log-activity', 'send-welcome-email']);
    const { body: saved } = await sample.http().get(`/users/${user.id}`).expect(200);
    expect(saved.profile).toMatchObject({ displayName: 'Grace' });
    const { body: activity } = await sample.http().get(`/activity?userId=${user.id}`).expect(200);
    expect(activity).toEqual([{ userId: user.id, action: 'UserRegistered', at: expect.any(String) }]);
    const { body: outbox } = await sample.http().get('/notifications/outbox?to=grace@example.com').expect(200);
    expect(outbox).toHaveLength(1);
  });
});

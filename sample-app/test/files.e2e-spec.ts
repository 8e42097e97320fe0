import { existsSync } from 'node:fs';
import { startSampleApp, type SampleApp } from './sample-app.fixture.js';

let sample: SampleApp | undefined;
afterEach(async () => {
  await sample?.close();
  sample = undefined;
});

describe('files: cleanup of temporary files', () => {
  it('deletes an uploaded file FILE_TTL_MS after the upload', async () => {
    sample = await startSampleApp({ fileTtlMs: 60 });
    const { body: file } = await sample
      .http()
      .post('/files')
      .attach('file', Buffer.from('id,total\n1,9.99\n'), 'report.csv')
      .expect(201);
    expect(file).toMatchObject({ name: expect.stringMatching(/-report\.csv$/), size: 16 });
    expect(file.path.startsWith(sample.config.uploadDir)).toBe(true);

    const task = await sample.scheduler.waitFor(file.cleanupTaskId);

    // deleted: true means the file was there when the task ran, and the task removed it.
    expect(task).toMatchObject({ status: 'succeeded', handler: 'delete-temp-file', result: { deleted: true } });
    expect(task.runAt.toISOString()).toBe(file.deleteAt);
    expect(task.startedAt!.getTime()).toBeGreaterThanOrEqual(Date.parse(file.deleteAt));
    expect(existsSync(file.path)).toBe(false);
    await sample.http().get(`/files/${file.name}`).expect(404);
    await sample.http().get('/files').expect(200, []);
  });

  it('answers 400 when no file is sent', async () => {
    sample = await startSampleApp();
    await sample.http().post('/files').send({}).expect(400);
  });
});

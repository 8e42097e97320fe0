import { readFileSync } from 'node:fs';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The README's testing examples are these files, word for word: the tests that run them run the README's code. */
describe("README's testing examples", () => {
  const readme = read('README.md');
  it.each([
    'test/docs/app.module.ts',
    'test/docs/readme-testing.spec.ts',
    'test/docs/readme-override.spec.ts',
    'test/docs/readme-flows.spec.ts',
    'test/docs/readme-recurring.spec.ts',
    'test/docs/readme-deployments.spec.ts',
    '.ci/fixtures/nest12-esm/test/readme-testing.test.ts',
  ])('%s is a code block of the README', (path) => {
    expect(readme).toContain('```ts\n' + read(path) + '```\n');
  });

  it('the vitest consumer app runs the same app as the jest test', () => {
    expect(read('.ci/fixtures/nest12-esm/test/app.module.ts')).toBe(read('test/docs/app.module.ts'));
  });
});

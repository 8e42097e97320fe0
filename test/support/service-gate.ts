/**
 * Store suites talk to real servers. Where one is not reachable the suite is skipped with a clear line,
 * unless TASK_QUEUE_REQUIRE_SERVICES=1 (set by .ci/run), which makes it an error instead.
 */
export async function describeIfReachable(service: string, probe: () => Promise<void>): Promise<jest.Describe> {
  try {
    await probe();
    return describe;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.TASK_QUEUE_REQUIRE_SERVICES === '1') {
      throw new Error(`${service} is required (TASK_QUEUE_REQUIRE_SERVICES=1) but not reachable: ${reason}`);
    }
    console.warn(`SKIPPED: the ${service} suites: ${service} is not reachable (${reason}). Start it to run them.`);
    return describe.skip;
  }
}

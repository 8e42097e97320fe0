/**
 * The leases whose report was recorded lately, so that a renewal that finds such a lease gone does not call
 * it lost: the task finished, nobody took it over. Two generations of a set, the
 * older dropped every `keepMs`: O(1) per report, memory bounded by the reports of two periods.
 */
export class PostgresRecentReports {
  private current = new Set<string>();
  private previous = new Set<string>();
  private rotatedAt = Date.now();

  constructor(private readonly keepMs: number) {}

  add(taskId: string, token: string): void {
    this.rotate();
    this.current.add(`${taskId}\u0000${token}`);
  }

  has(taskId: string, token: string): boolean {
    this.rotate();
    const key = `${taskId}\u0000${token}`;
    return this.current.has(key) || this.previous.has(key);
  }

  private rotate(): void {
    const now = Date.now();
    if (now - this.rotatedAt < this.keepMs) return;
    this.previous = now - this.rotatedAt < 2 * this.keepMs ? this.current : new Set();
    this.current = new Set();
    this.rotatedAt = now;
  }
}

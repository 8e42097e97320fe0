import { Injectable } from '@nestjs/common';

export interface ActivityEntry {
  userId: string;
  action: string;
  at: Date;
}

/** What one run of the activity-digest task summed up. */
export interface ActivityDigest {
  taskId: string;
  at: Date;
  /** Entries since the previous digest, by action. */
  actions: Record<string, number>;
}

/** An append-only audit trail, read at GET /activity, and its digests, at GET /activity/digests. */
@Injectable()
export class ActivityLogService {
  private readonly entries: ActivityEntry[] = [];
  private readonly digests: ActivityDigest[] = [];
  private digested = 0;

  record(userId: string, action: string): ActivityEntry {
    const entry = { userId, action, at: new Date() };
    this.entries.push(entry);
    return entry;
  }

  /** Sums up the entries since the last digest. */
  digest(taskId: string): ActivityDigest {
    const actions: Record<string, number> = {};
    for (const entry of this.entries.slice(this.digested)) actions[entry.action] = (actions[entry.action] ?? 0) + 1;
    this.digested = this.entries.length;
    const digest = { taskId, at: new Date(), actions };
    this.digests.push(digest);
    return digest;
  }

  listDigests(): ActivityDigest[] {
    return [...this.digests];
  }

  list(userId?: string): ActivityEntry[] {
    return userId === undefined ? [...this.entries] : this.entries.filter((entry) => entry.userId === userId);
  }
}

import { Injectable } from '@nestjs/common';

export interface ActivityEntry {
  userId: string;
  action: string;
  at: Date;
}

/** An append-only audit trail, read at GET /activity. */
@Injectable()
export class ActivityLogService {
  private readonly entries: ActivityEntry[] = [];

  record(userId: string, action: string): ActivityEntry {
    const entry = { userId, action, at: new Date() };
    this.entries.push(entry);
    return entry;
  }

  list(userId?: string): ActivityEntry[] {
    return userId === undefined ? [...this.entries] : this.entries.filter((entry) => entry.userId === userId);
  }
}

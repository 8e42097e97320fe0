import { Injectable, Logger } from '@nestjs/common';

export interface SentEmail {
  to: string;
  subject: string;
  body: string;
  sentAt: Date;
}

/** A pretend mailer: "sending" appends to an outbox you can read at GET /notifications/outbox. */
@Injectable()
export class MailService {
  private readonly logger = new Logger('Mail');
  private readonly sent: SentEmail[] = [];

  async send(to: string, subject: string, body: string): Promise<SentEmail> {
    const email = { to, subject, body, sentAt: new Date() };
    this.sent.push(email);
    this.logger.log(`-> ${to}: ${subject}`);
    return email;
  }

  outbox(to?: string): SentEmail[] {
    return to === undefined ? [...this.sent] : this.sent.filter((email) => email.to === to);
  }
}

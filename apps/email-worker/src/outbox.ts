import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  messageId: string;
}

/**
 * The embedded mail transport: each message becomes `<outbox>/<messageId>.eml`, written to a
 * temporary name and renamed so a half-written file is never seen. Nothing leaves the machine.
 */
export class OutboxTransport {
  private readonly composer = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
  });

  constructor(private readonly dir: string) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string; path: string }> {
    await mkdir(this.dir, { recursive: true });
    const info = await this.composer.sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html ? { html: mail.html } : {}),
      messageId: mail.messageId,
    });
    const fileName = mail.messageId.replace(/[^A-Za-z0-9._-]/g, '_');
    const path = join(this.dir, `${fileName}.eml`);
    await writeFile(`${path}.part`, info.message as Buffer);
    await rename(`${path}.part`, path);
    return { messageId: mail.messageId, path };
  }
}

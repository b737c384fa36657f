import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer. The URL carries the credentials: it is never logged. */
export function createSmtpMailer(smtpUrl: string): Mailer {
  const transport = nodemailer.createTransport(
    new SMTPTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }),
  );
  return {
    send: async (mail) => {
      await transport.sendMail(mail);
    },
    close: () => transport.close(),
  };
}

/**
 * The same Message-ID for every attempt at one statement version's alert: should a crash fall between sending
 * and recording it, the mail sent twice is recognised as one by mail clients.
 */
export function alertMessageId(parts: string[], from: string): string {
  const digest = createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
  const domain = from.slice(from.lastIndexOf('@') + 1).replace(/[>\s]/g, '') || 'localhost';
  return `<statement-alert.${digest}@${domain}>`;
}

/** A rejection of this message itself (recipient or content refused), which no retry will change. */
export function isPermanentMailError(error: unknown): boolean {
  const { code, responseCode } = (error ?? {}) as { code?: string; responseCode?: number };
  return (code === 'EENVELOPE' || code === 'EMESSAGE') && typeof responseCode === 'number' && responseCode >= 500;
}

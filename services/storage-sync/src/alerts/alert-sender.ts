import { toError } from '@pharma/shared/errors';
import { type Log, withoutCorrelationId } from '@pharma/shared/logger';
import { backoffDelay } from '@pharma/shared/retry';
import { bumpChangeSeq, type PharmacyDatabase } from '../db/pharmacy-database.js';
import type { PharmacyDatabases } from '../pharmacies/pharmacy-databases.js';
import type { Replicator } from '../replication/replicator.js';
import { buildAlertMessage } from './alert-message.js';
import { markAlertAttemptFailed, markAlertSent, type PendingAlert, pendingAlerts } from './alert-outbox.js';
import { alertMessageId, isPermanentMailError, type Mailer } from './smtp-mailer.js';

export interface AlertSenderOptions {
  pharmacies: Pick<PharmacyDatabases, 'held' | 'peek'>;
  replicator: Pick<Replicator, 'markDirty'>;
  mailer: Mailer;
  from: string;
  to?: string;
  retryMinMs: number;
  retryMaxMs: number;
  /** How often the outboxes are looked at without a wake-up (e.g. rows that came back with a restore). */
  pollMs: number;
  logger: Log;
}

const BATCH = 50;

/**
 * Sends the alerts queued in the outboxes of the pharmacies this instance holds, and records each one sent in
 * the same database. While the SMTP server fails, sending pauses with exponential backoff; queued rows wait.
 */
export class AlertSender {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private failures = 0;
  private pausedUntil = 0;

  constructor(private readonly options: AlertSenderOptions) {}

  start(): void {
    this.schedule(0);
  }

  /** A new alert is queued: send it now unless SMTP is known to be down. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(Math.max(0, this.pausedUntil - Date.now()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    this.options.mailer.close();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    // One sending loop serves the alerts of every job: it runs under none of their ids.
    this.timer = withoutCorrelationId(() => setTimeout(() => this.run(), delayMs));
    this.timer.unref();
  }

  private run(): void {
    if (this.running || this.stopped) return;
    this.again = false;
    this.running = this.sendPending()
      .catch((error: unknown) => this.options.logger.error({ err: toError(error) }, 'alert sending failed'))
      .finally(() => {
        this.running = undefined;
        const paused = this.pausedUntil - Date.now();
        if (paused > 0) this.schedule(paused);
        else this.schedule(this.again ? 0 : this.options.pollMs);
      });
  }

  private async sendPending(): Promise<void> {
    for (const pharmacyId of this.options.pharmacies.held()) {
      if (this.stopped || this.pausedUntil > Date.now()) return;
      let more = true;
      while (more && !this.stopped && this.pausedUntil <= Date.now()) {
        const pdb = this.options.pharmacies.peek(pharmacyId);
        if (!pdb?.sqlite.open) break;
        const batch = pendingAlerts(pdb.sqlite, BATCH);
        for (const alert of batch) {
          if (!(await this.sendOne(pdb, alert))) return;
        }
        more = batch.length === BATCH;
      }
    }
  }

  /** Sends one alert; false when SMTP is failing and sending must pause. */
  private async sendOne(pdb: PharmacyDatabase, alert: PendingAlert): Promise<boolean> {
    const { content } = alert;
    const message = buildAlertMessage(pdb.pharmacyId, content);
    const messageId = alertMessageId(
      [pdb.pharmacyId, content.clientKey, content.from, content.to, content.sourceSha256],
      this.options.from,
    );
    const fields = { pharmacyId: pdb.pharmacyId, clientKey: content.clientKey, from: content.from, to: content.to };
    try {
      await this.options.mailer.send({
        from: this.options.from,
        to: this.options.to ?? pdb.pharmacyId,
        messageId,
        ...message,
      });
    } catch (error) {
      const err = toError(error);
      const permanent = isPermanentMailError(error);
      // The file may have been closed (lease lost) while the mail was on its way.
      if (pdb.sqlite.open) {
        const recordFailure = () => markAlertAttemptFailed(pdb.sqlite, alert.id, err.message, permanent);
        // A retry to come is no news for S3; a mail given up is.
        if (permanent) this.record(pdb, recordFailure);
        else recordFailure();
      }
      if (permanent) {
        this.options.logger.error({ ...fields, err }, 'statement alert refused by the mail server: given up');
        return true;
      }
      this.failures += 1;
      const delay = backoffDelay(this.failures, {
        baseMs: this.options.retryMinMs,
        maxMs: this.options.retryMaxMs,
        jitter: 'half',
      });
      this.pausedUntil = Date.now() + delay;
      this.options.logger.warn({ ...fields, err, retryInMs: delay }, 'statement alert not sent: will retry');
      return false;
    }
    this.failures = 0;
    if (pdb.sqlite.open) this.record(pdb, () => markAlertSent(pdb.sqlite, alert.id, messageId));
    this.options.logger.info({ ...fields, verdict: content.verdict }, 'statement alert sent');
    return true;
  }

  /** Outbox changes are data of the pharmacy's file: they go to S3 like any other change. */
  private record(pdb: PharmacyDatabase, change: () => void): void {
    pdb.sqlite.transaction(() => {
      change();
      bumpChangeSeq(pdb.sqlite);
    })();
    this.options.replicator.markDirty(pdb.pharmacyId);
  }
}

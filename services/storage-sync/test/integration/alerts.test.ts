import { createServer } from 'node:net';
import { join } from 'node:path';
import { eventually } from '@pharma/testkit';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StatementEvent, statementEvent } from '../factories.js';
import { parsed, storageSyncTestbed } from '../helpers.js';

const PHARMACY = 'pharmacie.alertes@example.ma';
const FILE_NAME = 'pharmacie_pharmacie_alertes_at_example_ma.db';
const SMTP_USER = 'alerts';
const SMTP_PASSWORD = 'never-in-the-logs-42';

interface Received {
  envelopeTo: string[];
  mail: ParsedMail;
}

/** A real SMTP server on a fixed port, so it can be stopped and started again at the same address. */
class LocalSmtpServer {
  readonly received: Received[] = [];
  private server: SMTPServer | undefined;

  constructor(readonly port: number) {}

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: auth.username });
        else callback(new Error('Invalid username or password'));
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail });
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  about(clientKey: string): Received[] {
    return this.received.filter((r) => r.mail.subject?.includes(`(${clientKey})`));
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The printed closing balance is off by `difference` from the rows: the parser's `mismatch`. */
function mismatch(event: StatementEvent, difference: number): StatementEvent {
  const anomaly = {
    kind: 'running_balance_break',
    message: 'le solde courant ne suit pas les lignes',
    page: 1,
    line: 7,
  };
  const closingBalance = Math.round((event.statement.computedClosingBalance + difference) * 100) / 100;
  return { ...event, statement: { ...event.statement, closingBalance, verdict: 'mismatch', anomalies: [anomaly] } };
}

describe('storage-sync: e-mail alerts for statements that do not reconcile', () => {
  const bed = storageSyncTestbed();
  let smtp: LocalSmtpServer;
  const dataDir = bed.dir();
  let app: FastifyInstance | undefined;

  const publish = (payload: StatementEvent) => bed.publish(parsed(payload));
  const storedStatements = (clientKey: string) => {
    const db = new Database(join(dataDir, FILE_NAME), { fileMustExist: true, readonly: true });
    try {
      return db.prepare('SELECT source_sha256 AS sha FROM statements WHERE client_key = ?').all(clientKey);
    } finally {
      db.close();
    }
  };
  const outboxRow = (clientKey: string) => {
    const db = new Database(join(dataDir, FILE_NAME), { fileMustExist: true, readonly: true });
    try {
      return db
        .prepare('SELECT attempts, last_error AS lastError, sent_at AS sentAt FROM alert_outbox WHERE client_key = ?')
        .all(clientKey) as { attempts: number; lastError: string | null; sentAt: string | null }[];
    } finally {
      db.close();
    }
  };
  /** Events are handled in order: once a later mismatch's mail is in, everything published before it is done. */
  const sentinel = async (clientKey: string) => {
    await publish(mismatch(statementEvent({ pharmacyId: PHARMACY, clientKey, seed: 9 }), 1));
    await eventually(() => expect(smtp.about(clientKey)).toHaveLength(1), { timeoutMs: 20_000 });
  };

  beforeAll(async () => {
    smtp = new LocalSmtpServer(await freePort());
    await smtp.start();
    app = await bed.start(dataDir, {
      env: {
        SMTP_URL: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${smtp.port}`,
        ALERTS_FROM: 'alertes@pharma.example',
        ALERTS_RETRY_MIN_MS: '200',
        ALERTS_RETRY_MAX_MS: '1000',
        ALERTS_POLL_MS: '500',
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
  });

  const first = mismatch(
    statementEvent({ pharmacyId: PHARMACY, clientKey: '501', customerName: 'Karim Bennani', seed: 4, opening: 80 }),
    150.5,
  );

  it('mails the pharmacy once about a mismatch, with customer, period, balances, discrepancy and anomalies', async () => {
    await publish(first);
    await eventually(() => expect(smtp.about('501')).toHaveLength(1), { timeoutMs: 20_000 });

    const [delivered] = smtp.about('501');
    if (!delivered) throw new Error('no mail');
    const { envelopeTo, mail } = delivered;
    expect(envelopeTo).toEqual([PHARMACY]);
    expect(mail.from?.text).toBe('alertes@pharma.example');
    expect(mail.subject).toBe('Relevé de Karim Bennani (501) du 01/01/2017 au 09/01/2025 : écart de 150,50');
    const text = mail.text ?? '';
    const amount = (value: number) => value.toFixed(2).replace('.', ',');
    expect(text).toContain(`Pharmacie : ${PHARMACY}`);
    expect(text).toContain('Période : du 01/01/2017 au 09/01/2025');
    expect(text).toContain('Verdict : écart entre le solde imprimé et le solde recalculé');
    expect(text).toContain(`Solde final imprimé : ${amount(first.statement.closingBalance)}`);
    expect(text).toContain(`Solde final recalculé : ${amount(first.statement.computedClosingBalance)}`);
    expect(text).toContain('Écart (imprimé − recalculé) : 150,50');
    expect(text).toContain('- [running_balance_break] le solde courant ne suit pas les lignes (page 1, ligne 7)');
    expect(mail.html).toContain('<strong>Karim Bennani (501)</strong>');
    expect(mail.messageId).toMatch(/^<statement-alert\.[0-9a-f]{32}@pharma\.example>$/);
    await eventually(() => expect(outboxRow('501')).toEqual([expect.objectContaining({ attempts: 1 })]));
    expect(outboxRow('501')[0]?.sentAt).toEqual(expect.any(String));
  });

  it('sends nothing again for a replay, the same file downloaded again, or an older parse', async () => {
    await publish(first);
    // Same source file fetched later: the stored statement is replaced, but it is the same statement version.
    await publish({ ...first, downloadedAt: '2025-01-11T09:00:00.000Z', parsedAt: '2025-01-11T09:00:02.000Z' });
    const older = mismatch(
      statementEvent({ pharmacyId: PHARMACY, clientKey: '501', seed: 5, downloadedAt: '2025-01-05T09:00:00.000Z' }),
      10,
    );
    await publish(older);
    await sentinel('502');

    expect(smtp.about('501')).toHaveLength(1);
    expect(storedStatements('501')).toEqual([{ sha: first.sourceSha256 }]);
  });

  it('sends nothing for a statement whose verdict is ok', async () => {
    await publish(statementEvent({ pharmacyId: PHARMACY, clientKey: '503', seed: 6 }));
    await sentinel('504');

    expect(storedStatements('503')).toHaveLength(1);
    expect(smtp.about('503')).toEqual([]);
    expect(outboxRow('503')).toEqual([]);
  });

  it('keeps the alert while the SMTP server is down and delivers it once when it is back', async () => {
    await smtp.stop();
    const late = mismatch(statementEvent({ pharmacyId: PHARMACY, clientKey: '505', seed: 7 }), -42);
    await publish(late);
    await eventually(() => expect(outboxRow('505')[0]?.attempts).toBeGreaterThanOrEqual(2), { timeoutMs: 20_000 });
    expect(outboxRow('505')[0]).toMatchObject({ sentAt: null, lastError: expect.stringContaining('ECONNREFUSED') });
    expect(smtp.about('505')).toEqual([]);

    await smtp.start();
    await eventually(() => expect(smtp.about('505')).toHaveLength(1), { timeoutMs: 20_000 });
    expect(smtp.about('505')[0]?.mail.subject).toContain('écart de -42,00');
    await sentinel('506');
    expect(smtp.about('505')).toHaveLength(1);
    expect(outboxRow('505')[0]?.sentAt).toEqual(expect.any(String));
  });

  it('never logs the SMTP credentials', () => {
    expect(bed.logs.text()).toContain('statement alert sent');
    expect(bed.logs.text()).toContain('statement alert not sent: will retry');
    expect(bed.logs.text()).not.toContain(SMTP_PASSWORD);
  });
});

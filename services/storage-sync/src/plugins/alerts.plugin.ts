import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AlertSender } from '../alerts/alert-sender.js';
import { createSmtpMailer } from '../alerts/smtp-mailer.js';
import type { Config } from '../config.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Sends the queued statement alerts; undefined when alerts are disabled (nothing is queued then). */
    alerts: AlertSender | undefined;
  }
}

/** E-mail alerts: the sender loop over the held pharmacies' outboxes, and its SMTP connection. */
export const alertsPlugin = fp<{ alerts: Config['alerts'] }>(
  async (app: FastifyInstance, { alerts: config }) => {
    const alerts = config.enabled
      ? new AlertSender({
          ...config,
          pharmacies: app.pharmacies,
          replicator: app.replicator,
          mailer: createSmtpMailer(config.smtpUrl),
          logger: app.log,
        })
      : undefined;
    if (config.enabled) app.log.info({ from: config.from, to: config.to }, 'e-mail alerts enabled');
    else app.log.info({ reason: config.reason }, 'e-mail alerts disabled');
    alerts?.start();
    app.decorate('alerts', alerts);
    app.addHook('onClose', async () => alerts?.stop());
  },
  { name: 'alerts', dependencies: ['pharmacies', 'replication'] },
);

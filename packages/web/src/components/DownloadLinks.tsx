import { type MessageKey, useI18n } from '../i18n/index.js';

/** A group of file downloads (exports) shown as buttons; real links, so middle-click and "save as" work. */
export function DownloadLinks({ links }: { links: readonly { href: string; label: MessageKey }[] }) {
  const { t } = useI18n();
  return (
    <div className="actions">
      {links.map(({ href, label }) => (
        <a key={label} className="button secondary" href={href} download>
          {t(label)}
        </a>
      ))}
    </div>
  );
}

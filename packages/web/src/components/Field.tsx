import type { InputHTMLAttributes, ReactNode } from 'react';
import { type MessageKey, useI18n } from '../i18n/index.js';

/** A form control with its label around it, so the label names the control for screen readers and tests. */
export function Field({ label, className, children }: { label: MessageKey; className?: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is `children`, inside the label
    <label className={className}>
      {t(label)}
      {children}
    </label>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'className'>;

/** A labelled text, e-mail, password, date, month or URL input that hands the page its new value. */
export function TextField({
  label,
  className,
  value,
  onChange,
  ...input
}: InputProps & { label: MessageKey; className?: string; value: string; onChange(value: string): void }) {
  return (
    <Field label={label} className={className}>
      <input {...input} value={value} onChange={(event) => onChange(event.target.value)} />
    </Field>
  );
}

export interface Period {
  from: string;
  to: string;
}

/** The from/to dates of a period (ISO days; empty while unset). */
export function PeriodFields({ value, onChange }: { value: Period; onChange(period: Period): void }) {
  return (
    <>
      {(['from', 'to'] as const).map((end) => (
        <TextField
          key={end}
          label={`common.${end}`}
          type="date"
          name={end}
          value={value[end]}
          onChange={(day) => onChange({ ...value, [end]: day })}
        />
      ))}
    </>
  );
}

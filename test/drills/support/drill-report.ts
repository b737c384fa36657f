/** What a drill file did and how the platform recovered, printed once the file is done. */

export interface DrillEvent {
  /** The drill (test) it belongs to. */
  drill: string;
  /** What was done, e.g. `kill -9 scraper`, `NATS stopped for 10 s`. */
  action: string;
  /** Seconds since the drill's job started. */
  atS: number;
  /** What the drill saw at that moment (job progress, statements stored...). */
  context: string;
  /** Seconds from the fault to the recovery named in `recovery`. */
  recoveryS?: number;
  recovery?: string;
}

export interface DrillOutcome {
  drill: string;
  durationS: number;
  outcome: string;
  finalDiff: string;
}

export class DrillReport {
  readonly events: DrillEvent[] = [];
  readonly outcomes: DrillOutcome[] = [];
  private readonly started = Date.now();

  constructor(readonly title: string) {}

  event(event: DrillEvent): DrillEvent {
    this.events.push(event);
    return event;
  }

  outcome(outcome: DrillOutcome): void {
    this.outcomes.push(outcome);
  }

  render(): string {
    const seconds = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(1)} s`);
    const lines = [`=== failure drills: ${this.title} (${seconds((Date.now() - this.started) / 1000)}) ===`];
    for (const outcome of this.outcomes) {
      lines.push(
        `${outcome.drill} — ${outcome.outcome} in ${seconds(outcome.durationS)}; final diff: ${outcome.finalDiff}`,
      );
      for (const event of this.events.filter((e) => e.drill === outcome.drill)) {
        lines.push(
          `  t+${seconds(event.atS).padEnd(8)} ${event.action.padEnd(34)} ${event.context}` +
            (event.recovery ? `\n  ${''.padEnd(10)} → ${event.recovery}: ${seconds(event.recoveryS)}` : ''),
        );
      }
    }
    const orphans = this.events.filter((e) => !this.outcomes.some((o) => o.drill === e.drill));
    for (const event of orphans)
      lines.push(`  (${event.drill}, unfinished) t+${seconds(event.atS)} ${event.action} ${event.context}`);
    return lines.join('\n');
  }
}

// Runs the traffic simulation (usecases/traffic-simulation.ts) every few seconds, and on demand
// before a metrics or bill read, so an advanced test clock is caught up before anyone looks.

import type { UseCaseRunner } from "./usecases/runner";
import { simulateTraffic } from "./usecases/traffic-simulation";

export class TrafficSimulator {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly usecases: UseCaseRunner,
    readonly seed: number,
    private readonly onError: (e: unknown) => void,
    private readonly everyMs = 5000,
  ) {}

  /** Catch-ups run one after another; each one simulates up to the clock as it reads it. */
  catchUp(): Promise<void> {
    const next = (this.running ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.usecases.writeAsControlPlane((ctx) => simulateTraffic(ctx, this.seed)))
      .then(() => undefined);
    this.running = next;
    return next;
  }

  start(): void {
    const tick = () => {
      this.catchUp()
        .catch(this.onError)
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(tick, this.everyMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}

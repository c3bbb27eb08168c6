// Fires timed transitions (Activating -> Activated, Suspending -> Suspended, Pending -> Expired)
// at their due time. They are rows in the store, so after a restart the first tick catches up.
import { UseCaseRunner } from "./usecases/runner";

const MAX_TIMER_MS = 2 ** 31 - 1;
/** Purge sweep for idle servers; requests also settle and purge lazily. */
const SWEEP_MS = 60_000;
const RECHECK_MS = 10;

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private sweep: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;
  private stopped = false;
  private readonly onSchedule = () => this.kick();

  constructor(
    private readonly usecases: Pick<UseCaseRunner, "tick" | "now" | "events">,
    private readonly onError: (e: unknown) => void,
    private readonly sweepMs = SWEEP_MS,
  ) {}

  start(): void {
    this.usecases.events.on("schedule", this.onSchedule);
    this.sweep = setInterval(() => this.kick(), this.sweepMs);
    this.sweep.unref();
    this.kick();
  }

  /** Applies what is due now and re-arms the timer for the next due transition. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.usecases
      .tick()
      .then((next) => this.arm(next))
      .catch((e) => {
        if (!this.stopped) this.onError(e);
      })
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private arm(next: number | null): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (next === null || this.stopped) return;
    // Still due after a tick: another replica holds it and is applying it; look again shortly.
    const delay = Math.min(Math.max(next - this.usecases.now(), 0) || RECHECK_MS, MAX_TIMER_MS);
    this.timer = setTimeout(() => this.kick(), delay);
  }

  stop(): void {
    this.stopped = true;
    this.usecases.events.off("schedule", this.onSchedule);
    if (this.timer) clearTimeout(this.timer);
    if (this.sweep) clearInterval(this.sweep);
  }
}

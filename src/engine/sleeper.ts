/** A sleep that can be cut short: a background loop waits on it between passes, and is woken when there is work. */
export class Sleeper {
  private wakeUp: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /** End the current sleep now (no effect when none is under way). */
  wake(): void {
    this.wakeUp?.();
  }
}

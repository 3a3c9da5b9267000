import type { Logger } from './logger';

/** Work a service does now and then (sweepers): never two runs at once, failures logged and tried again next time. */
export interface PeriodicTask {
  name: string;
  everyMs: number;
  /** first run after this long (default: everyMs) */
  firstAfterMs?: number;
  run(): Promise<unknown>;
}

/** Starts the tasks; the returned function stops them. */
export function startPeriodic(tasks: readonly PeriodicTask[], logger: Logger): () => void {
  const timers = tasks.flatMap((task) => {
    let running = false;
    const tick = () => {
      if (running) return;
      running = true;
      task
        .run()
        .catch((err: unknown) => logger.warn({ err, task: task.name }, 'periodic task failed; will try again'))
        .finally(() => (running = false));
    };
    const first = setTimeout(tick, task.firstAfterMs ?? task.everyMs);
    const timer = setInterval(tick, task.everyMs);
    first.unref();
    timer.unref();
    return [first, timer];
  });
  return () => {
    for (const t of timers) clearTimeout(t);
  };
}

/**
 * Fault R2: the Temporal dev server stopped while schedules fire, once politely (SIGTERM) and once with SIGKILL,
 * each time down for a while, and started again on the same SQLite file. Every schedule must survive, and the
 * fires missed while it was down must follow the documented catch-up policy (README, "Policies": fires younger
 * than the 24-hour catch-up window are taken when the server returns, late, each with its own `triggered_at`).
 *
 * Run: `npx tsx bench/faults/server-restart.ts [--schedules 10] [--downS 90] [--betweenS 150]`. Prints its
 * figures and writes them to bench/FAULTS.md.
 */
import { compareDeliveries, deliveries, numberFlags, sleep, startScene, type ProductProcess } from './scene';
import { createMinutely, deleteAll, expectedOf, productOf } from './schedules';
import { deliveredExactly, figureRows, report, waitForDeliveries } from './report';

async function main(): Promise<void> {
  const flags = numberFlags({ schedules: 10, downS: 90, betweenS: 150 });
  const scene = await startScene('server-restart');
  const app = await productOf(scene);
  const started = Date.now();
  let workerRestarts = 0;
  let worker: ProductProcess = await scene.startWorker();
  // A worker that gives up while the server is away is started again, as a supervisor would; counted.
  const watchWorker = async (): Promise<void> => {
    await worker.child.exited;
    if (stopping) return;
    workerRestarts++;
    await sleep(2000);
    worker = await scene.startWorker();
    void watchWorker();
  };
  let stopping = false;
  void watchWorker();
  const downtimes: Array<{ signal: string; fromMs: number; toMs: number }> = [];
  try {
    const watched = await createMinutely(app, scene, { count: flags.schedules, leadS: 20, offsetS: 6 });
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      await sleep(flags.betweenS * 1000);
      const fromMs = Date.now();
      console.log(`stopping the server with ${signal} for ${flags.downS} s`);
      await scene.restartServer(signal, flags.downS * 1000);
      downtimes.push({ signal, fromMs, toMs: Date.now() });
    }
    await sleep(flags.betweenS * 1000);
    const until = Date.now();
    const expected = expectedOf(watched, until);
    await waitForDeliveries(scene, expected, 180_000);
    const got = deliveries(scene.receiver);
    const figures = compareDeliveries(expected, got, until);
    const survived = (await app.service.listSchedules(scene.solution)).length;
    const rows: Record<string, string | number> = {
      'window (s)': Math.round((until - started) / 1000),
      'schedules before / after': `${watched.length} / ${survived}`,
      ...figureRows(figures),
      'worker processes restarted by the script': workerRestarts,
    };
    for (const { signal, fromMs, toMs } of downtimes) {
      const inside = [...expected].flatMap(([p, instants]) =>
        instants.filter((i) => Date.parse(i) >= fromMs && Date.parse(i) < toMs).map((i) => `${p} ${i}`),
      );
      const late = got.filter((d) => inside.includes(`${d.path} ${d.triggeredAt}`));
      const lateness = late.map((d) => d.receivedAt.getTime() - Date.parse(d.triggeredAt));
      rows[`${signal}: down (s)`] = Math.round((toMs - fromMs) / 1000);
      rows[`${signal}: fires due while down`] = inside.length;
      rows[`${signal}: of those delivered after the restart`] = new Set(
        late.map((d) => `${d.path} ${d.triggeredAt}`),
      ).size;
      rows[`${signal}: their lateness max (s)`] = lateness.length
        ? Math.round(Math.max(...lateness) / 1000)
        : '-';
    }
    await deleteAll(app, scene, watched);
    report('Temporal server restarted (R2)', {
      method:
        `${flags.schedules} minutely schedules (first fires 6 s apart) and one worker process; the dev server ` +
        `stopped with SIGTERM, then with SIGKILL, ${flags.downS} s each, ${flags.betweenS} s apart, and started ` +
        `again on the same SQLite file and port; occurrences counted from each schedule's first instant to the end`,
      figures: rows,
      pass: survived === watched.length && deliveredExactly(figures),
      notes: [
        'Catch-up policy (README, "Policies"): fires missed while the server was down and younger than 24 hours ' +
          'are started when it returns, each with its own `triggered_at`; so "missing" must be 0.',
      ],
    });
  } finally {
    stopping = true;
    await app.close();
    await scene.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

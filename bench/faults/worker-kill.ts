/**
 * Fault R1: the worker killed with SIGKILL at random moments while schedules fire. Every occurrence must reach
 * the runbook; an occurrence delivered twice must carry the same Idempotency-Key both times.
 *
 * Run: `npx tsx bench/faults/worker-kill.ts [--kills 50] [--schedules 10] [--seed 1]`. Prints its figures and
 * writes them to bench/FAULTS.md.
 */
import { compareDeliveries, deliveries, numberFlags, sleep, startScene } from './scene';
import { createMinutely, deleteAll, expectedOf, productOf } from './schedules';
import { deliveredExactly, figureRows, random, report, waitForDeliveries } from './report';

async function main(): Promise<void> {
  const flags = numberFlags({ kills: 50, schedules: 10, seed: 1, maxGapS: 6 });
  const next = random(flags.seed);
  const scene = await startScene('worker-kill');
  const app = await productOf(scene);
  const started = Date.now();
  try {
    let worker = await scene.startWorker();
    const watched = await createMinutely(app, scene, { count: flags.schedules, leadS: 20, offsetS: 6 });
    const kills: number[] = [];
    for (let k = 0; k < flags.kills; k++) {
      await sleep(next() * flags.maxGapS * 1000);
      worker.child.process.kill('SIGKILL');
      await worker.child.exited;
      kills.push(Date.now());
      worker = await scene.startWorker();
      process.stdout.write(`\rkill ${k + 1}/${flags.kills}`);
    }
    const until = Date.now();
    const expected = expectedOf(watched, until);
    await waitForDeliveries(scene, expected, 180_000);
    const figures = compareDeliveries(expected, deliveries(scene.receiver), until);
    await deleteAll(app, scene, watched);
    report('Worker killed with SIGKILL (R1)', {
      method:
        `${flags.schedules} minutely schedules (first fires 6 s apart), one worker process killed with SIGKILL ` +
        `${kills.length} times at random moments (0-${flags.maxGapS} s after the previous worker was up), a new ` +
        `one started after each kill; occurrences counted from each schedule's first instant to the last kill`,
      figures: {
        'window (s)': Math.round((until - started) / 1000),
        SIGKILLs: kills.length,
        ...figureRows(figures),
      },
      pass: deliveredExactly(figures),
    });
  } finally {
    await app.close();
    await scene.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

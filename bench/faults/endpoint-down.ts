/**
 * Fault R3: the runbook's endpoint down (answering 503) for 5 minutes while schedules fire. Each dispatch is
 * retried per the dispatch retry policy (README, "Dispatch retries": 10 attempts, 1 s doubling up to 5 minutes),
 * the failed attempts are recorded (the instance reads `Blocked` while it waits out a backoff), the next
 * occurrences fire meanwhile (overlap ALLOW_ALL), and once the endpoint is back every occurrence is delivered.
 *
 * Run: `npx tsx bench/faults/endpoint-down.ts [--schedules 3] [--downS 300]`. Prints its figures and writes
 * them to bench/FAULTS.md.
 */
import { Role, type Principal } from '../../src/principal';
import { InstanceStatus } from '../../src/instances/status';
import { compareDeliveries, deliveries, numberFlags, sleep, startScene } from './scene';
import { createMinutely, deleteAll, expectedOf, productOf } from './schedules';
import { deliveredExactly, report, waitForDeliveries } from './report';

async function main(): Promise<void> {
  const flags = numberFlags({ schedules: 3, downS: 300, beforeS: 90, afterS: 120 });
  const scene = await startScene('endpoint-down');
  const app = await productOf(scene);
  const principal: Principal = {
    solution: scene.solution,
    user: 'operator',
    roles: [Role.IntegrationAuthor, Role.ServiceAdministrator],
  };
  const started = Date.now();
  try {
    await scene.startWorker();
    const watched = await createMinutely(app, scene, { count: flags.schedules, leadS: 20, offsetS: 10 });
    await sleep(flags.beforeS * 1000);
    const downFrom = Date.now();
    scene.receiver.setDefault({ status: 503, body: { error: 'down for maintenance' } });
    console.log(`endpoint answers 503 for ${flags.downS} s`);
    await sleep((flags.downS * 1000) / 2);
    // Half-way through: what an operator reads of the instances of the first schedule.
    const midway = await app.instances.listInstances(principal, {
      schedule_reference: watched[0]?.reference,
    });
    const blockedMidway = midway.instances.filter((i) => i.status === InstanceStatus.Blocked).length;
    await sleep((flags.downS * 1000) / 2);
    scene.receiver.setDefault({ status: 200, body: { ok: true } });
    const downTo = Date.now();
    console.log('endpoint back');
    await sleep(flags.afterS * 1000);
    const until = Date.now();
    const expected = expectedOf(watched, until);
    // The longest wait: a run whose attempt failed just before the endpoint came back waits out one backoff.
    await waitForDeliveries(
      scene,
      expected,
      600_000,
      (d) => d.receivedAt.getTime() < downFrom || d.receivedAt.getTime() >= downTo,
    );
    const all = deliveries(scene.receiver);
    const answeredOk = all.filter(
      (d) => d.receivedAt.getTime() < downFrom || d.receivedAt.getTime() >= downTo,
    );
    const figures = compareDeliveries(expected, answeredOk, until);
    const dueWhileDown = [...expected.values()].flat().filter((i) => {
      const t = Date.parse(i);
      return t >= downFrom && t < downTo;
    }).length;
    const failedAttempts = all.length - answeredOk.length;
    const finalStatuses = new Map<string, number>();
    for (const w of watched) {
      const page = await app.instances.listInstances(principal, {
        schedule_reference: w.reference,
        page_size: 100,
      });
      for (const i of page.instances) finalStatuses.set(i.status, (finalStatuses.get(i.status) ?? 0) + 1);
    }
    const recovered = answeredOk.filter((d) => {
      const t = Date.parse(d.triggeredAt);
      return d.receivedAt.getTime() >= downTo && t < downTo;
    });
    const recoveryLag = recovered.map((d) => d.receivedAt.getTime() - downTo);
    await deleteAll(app, scene, watched);
    report('Runbook endpoint down (R3)', {
      method:
        `${flags.schedules} minutely schedules and one worker; after ${flags.beforeS} s the runbook answers 503 ` +
        `for ${flags.downS} s, then 200 again for ${flags.afterS} s; the default dispatch retry policy; a delivery ` +
        `counts when it was answered 200`,
      figures: {
        'window (s)': Math.round((until - started) / 1000),
        'occurrences expected': figures.expected,
        'delivered (answered 200)': figures.delivered,
        missing:
          figures.missing.length === 0
            ? 0
            : `${figures.missing.length}: ${figures.missing.slice(0, 5).join(', ')}`,
        'occurrences due while down (they fired on time, see attempts)': dueWhileDown,
        'attempts answered 503': failedAttempts,
        'instances of schedule 0 reading Blocked half-way through': blockedMidway,
        'occurrences delivered after the endpoint came back': recovered.length,
        'their delay after it came back, max (s)': recoveryLag.length
          ? Math.round(Math.max(...recoveryLag) / 1000)
          : '-',
        'delivered more than once (answered 200)': figures.repeated,
        'instance statuses at the end': [...finalStatuses].map(([s, n]) => `${s} ${n}`).join(', '),
      },
      pass: deliveredExactly(figures) && failedAttempts > 0 && blockedMidway > 0,
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

/**
 * Child process of the fire benchmark: the baseline worker, SDK default options, on `argv[2]` (address) and
 * `argv[3]` (task queue). Prints `ready` once it polls; SIGTERM shuts it down.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { rawActivities } from './raw-activities';

async function main(): Promise<void> {
  const [address, taskQueue] = process.argv.slice(2);
  if (!address || !taskQueue) throw new Error('usage: raw-worker.ts <address> <task queue>');
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: require.resolve('./raw-workflows'),
    activities: rawActivities,
  });
  process.once('SIGTERM', () => worker.shutdown());
  const running = worker.run();
  console.log('ready');
  await running;
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

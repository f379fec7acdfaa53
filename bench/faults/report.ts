/**
 * What the fault scripts share besides their scene: a seeded random source, waiting for deliveries, and the
 * report each prints and writes as its own section of `bench/FAULTS.md` (machine, date and load stated).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  compareDeliveries,
  deliveries,
  sleep,
  type Delivery,
  type DeliveryFigures,
  type Scene,
} from './scene';

const FAULTS_FILE = path.join(__dirname, '..', 'FAULTS.md');
const FAULTS_HEADING =
  '# Fault scripts\n\nEach script of `bench/faults/` runs on demand and replaces its own section below.\n';

/** A seeded source of numbers in [0, 1) (mulberry32), so a run's kill moments can be replayed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Waits until every expected occurrence was delivered, or `timeoutMs` passed (the figures then say what is missing). */
export async function waitForDeliveries(
  scene: Scene,
  expected: Map<string, string[]>,
  timeoutMs: number,
  counts: (delivery: Delivery) => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (compareDeliveries(expected, deliveries(scene.receiver).filter(counts), Infinity).missing.length === 0)
      return;
    await sleep(1000);
  }
}

/** Nothing missing, nothing unexpected, and every repeat with its first delivery's Idempotency-Key. */
export function deliveredExactly(f: DeliveryFigures): boolean {
  return f.missing.length === 0 && f.repeatsWithAnotherKey === 0 && f.unexpected.length === 0;
}

/** The rows every delivery check prints. */
export function figureRows(f: DeliveryFigures): Record<string, string | number> {
  return {
    'occurrences expected': f.expected,
    delivered: f.delivered,
    missing: f.missing.length === 0 ? 0 : `${f.missing.length}: ${f.missing.slice(0, 5).join(', ')}`,
    'delivered more than once': f.repeated,
    'repeats with another Idempotency-Key': f.repeatsWithAnotherKey,
    'unexpected deliveries':
      f.unexpected.length === 0 ? 0 : `${f.unexpected.length}: ${f.unexpected.slice(0, 5).join(', ')}`,
  };
}

/** One script's result. */
export interface FaultReport {
  readonly method: string;
  readonly figures: Record<string, string | number>;
  readonly pass: boolean;
  /** What the figures mean, when they need a word. */
  readonly notes?: readonly string[];
}

/** Prints the report and writes it as the section `## <title>` of bench/FAULTS.md. */
export function report(title: string, { method, figures, pass, notes = [] }: FaultReport): void {
  const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), load average at the end ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
  const section = [
    `## ${title}`,
    '',
    `Run ${new Date().toISOString().slice(0, 16)}Z on ${machine}. ${method}.`,
    '',
    '| figure | value |',
    '| --- | --- |',
    ...Object.entries(figures).map(([k, v]) => `| ${k} | ${String(v).replace(/\|/g, '\\|')} |`),
    '',
    ...notes.flatMap((n) => [n, '']),
    `Result: **${pass ? 'pass' : 'FAIL'}**`,
    '',
  ].join('\n');
  console.log(`\n${section}`);
  const current = existsSync(FAULTS_FILE) ? readFileSync(FAULTS_FILE, 'utf8') : FAULTS_HEADING;
  const sections = current.split(/^(?=## )/m);
  const kept = sections.filter((s) => !s.startsWith(`## ${title}\n`));
  const [head = FAULTS_HEADING, ...rest] = kept;
  writeFileSync(
    FAULTS_FILE,
    [head.trimEnd() + '\n\n', ...rest.map((s) => s.trimEnd() + '\n\n'), section].join(''),
  );
  if (!pass) process.exitCode = 1;
}

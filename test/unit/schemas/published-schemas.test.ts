/**
 * The JSON Schemas in schemas/ are what runbook builders and other languages read (F5): they must be the
 * current output of the zod schemas that validate every input.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { publishedSchemas } from '../../../src/schemas';
import { FREQUENCIES } from '../../../src/recurrence';

const DIR = path.join(__dirname, '..', '..', '..', 'schemas');

test.each(Object.entries(publishedSchemas()))(
  'schemas/%s is current (regenerate: npx tsx scripts/write-schemas.ts)',
  (name, schema) => {
    const onDisk = JSON.parse(readFileSync(path.join(DIR, name), 'utf8')) as unknown;
    expect(onDisk).toEqual(schema);
  },
);

interface Variant {
  oneOf?: Variant[];
  properties?: { frequency?: { const: string } };
  required?: string[];
}

/** Leaf variants: monthly and yearly split again on day_of_week. */
function leaves(v: Variant): Variant[] {
  return v.oneOf ? v.oneOf.flatMap(leaves) : [v];
}

test('the recurrence schema covers every frequency, each variant requiring frequency', () => {
  const variants = leaves(publishedSchemas()['recurrence.schema.json'] as Variant);
  expect([...new Set(variants.map((v) => v.properties?.frequency?.const))].sort()).toEqual([...FREQUENCIES].sort());
  for (const variant of variants) expect(variant.required).toContain('frequency');
});

test('the action schemas point their schedule at the recurrence schema and require the documented fields', () => {
  const create = publishedSchemas()['create-schedule.schema.json'] as {
    required: string[];
    properties: Record<string, unknown>;
  };
  expect(create.required).toEqual(['runbook_uuid', 'schedule_reference', 'schedule']);
  expect(create.properties.schedule).toEqual({ $ref: 'recurrence.schema.json' });
  const update = publishedSchemas()['update-schedule.schema.json'] as { required: string[] };
  expect(update.required).toEqual(['schedule_reference', 'schedule']);
  const del = publishedSchemas()['delete-schedule.schema.json'] as { required: string[] };
  expect(del.required).toEqual(['schedule_reference']);
});

interface Property {
  pattern?: string;
}

/** Every pattern the recurrence schema publishes for a field, across variants. */
function patternsOf(field: string): RegExp[] {
  const variants = leaves(publishedSchemas()['recurrence.schema.json'] as Variant) as Array<
    Variant & { properties?: Record<string, Property> }
  >;
  const patterns = variants.flatMap((v) => (v.properties?.[field]?.pattern ? [v.properties[field].pattern] : []));
  return [...new Set(patterns)].map((p) => new RegExp(p, 'u'));
}

test.each([
  ['time_of_day', ['09:00', '23:59:59', '00:00:00'], ['25:00', '9:00', '12:60', '09:00:5']],
  ['start_date', ['2025-02-28', '0050-01-01'], ['2025-13-01', '2025-00-10', '25-01-01', '2025-01-32']],
  ['end_date', ['2025-12-31'], ['2025-1-1', '31/12/2025']],
])('the published schema constrains %s by pattern, as validation does', (field, valid, invalid) => {
  const patterns = patternsOf(field);
  expect(patterns.length).toBeGreaterThan(0);
  for (const pattern of patterns) {
    for (const text of valid) expect(pattern.test(text)).toBe(true);
    for (const text of invalid) expect(pattern.test(text)).toBe(false);
  }
});

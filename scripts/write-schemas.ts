/** Writes the published JSON Schemas to schemas/ (run: `npx tsx scripts/write-schemas.ts`). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { publishedSchemas } from '../src/schemas';

const dir = path.join(__dirname, '..', 'schemas');
for (const [name, schema] of Object.entries(publishedSchemas())) {
  writeFileSync(path.join(dir, name), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote schemas/${name}`);
}

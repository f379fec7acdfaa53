/**
 * Writes the published JSON Schemas and the HTTP API's OpenAPI document to schemas/
 * (run: `npx tsx scripts/write-schemas.ts`); unit tests check the committed files are current.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../src/api/http-api';
import { publishedSchemas } from '../src/schemas';

const dir = path.join(__dirname, '..', 'schemas');

function write(name: string, document: unknown): void {
  writeFileSync(path.join(dir, name), `${JSON.stringify(document, null, 2)}\n`);
  console.log(`wrote schemas/${name}`);
}

async function main(): Promise<void> {
  for (const [name, schema] of Object.entries(publishedSchemas())) write(name, schema);
  write('openapi.json', await openApiDocument());
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

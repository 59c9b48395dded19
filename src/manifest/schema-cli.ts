// Prints the JSON Schema of fcx.yaml, or keeps schema/fcx.schema.json in step with the source:
//   node dist/src/manifest/schema-cli.js            print it
//   node dist/src/manifest/schema-cli.js --write    write schema/fcx.schema.json
//   node dist/src/manifest/schema-cli.js --check    exit 1 when the committed file is out of date
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../core/paths';
import { manifestJsonSchemaText } from './schema/json-schema';

export function schemaFilePath(): string {
  return join(packageRoot(), 'schema', 'fcx.schema.json');
}

function cli(argv: string[]): number {
  const text = manifestJsonSchemaText();
  const file = schemaFilePath();
  if (argv.includes('--write')) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    process.stderr.write(`wrote ${file}\n`);
    return 0;
  }
  if (argv.includes('--check')) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (current === text) return 0;
    process.stderr.write(`${file} is out of date with src/manifest/schema/fcx-schema.ts; run: npm run schema\n`);
    return 1;
  }
  process.stdout.write(text);
  return 0;
}

if (require.main === module) process.exitCode = cli(process.argv.slice(2));

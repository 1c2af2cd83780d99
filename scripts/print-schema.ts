import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { createSchema } from '../src/graphql/schema';

/** Prints the schema built from the code; --write saves it as schema.graphql, --check fails when that file is stale. */
async function main(): Promise<void> {
  const sdl = `${printSchema(lexicographicSortSchema(await createSchema()))}\n`;
  const file = path.resolve(__dirname, '../../schema.graphql');
  if (process.argv.includes('--write')) {
    fs.writeFileSync(file, sdl);
    console.log(`wrote ${file}`);
  } else if (process.argv.includes('--check')) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (current !== sdl) {
      console.error('schema.graphql is stale: run `npm run schema` and commit it');
      process.exit(1);
    }
    console.log('schema.graphql is current');
  } else {
    process.stdout.write(sdl);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

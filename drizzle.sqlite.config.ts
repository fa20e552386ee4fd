import { defineConfig } from 'drizzle-kit';

/** Migrations for SQLite: `npx drizzle-kit generate --config drizzle.sqlite.config.ts`. */
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/sqlite/schema.ts',
  out: './drizzle/sqlite',
});

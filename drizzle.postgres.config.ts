import { defineConfig } from 'drizzle-kit';

/** Migrations for PostgreSQL: `npx drizzle-kit generate --config drizzle.postgres.config.ts`. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/postgres/schema.ts',
  out: './drizzle/pg',
});

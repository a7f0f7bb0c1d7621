import { defineConfig } from "prisma/config";
import { createMigrateAdapter } from "./tooling/prisma/migrate-adapter";

// The CLI runs on the JavaScript schema engine over the `pg` driver, so nothing is downloaded.
// `npm run db:migrate` and the other scripts set DATABASE_URL (the embedded server by default).
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) {
      throw new Error(
        "DATABASE_URL is not set. Run Prisma through the npm scripts (npm run db:migrate), which start the embedded PostgreSQL server, or set DATABASE_URL.",
      );
    }
    return Promise.resolve(createMigrateAdapter(url));
  },
});

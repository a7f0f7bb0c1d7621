/**
 * The driver adapter the Prisma CLI (migrate, db execute) runs on. Prisma's migration engine
 * reads the system catalogs, whose `char` (oid 18) and `name` (oid 19) columns the stock
 * `pg` adapter refuses to decode, so this adapter reports them as text. It also brings its own
 * shadow database: a throwaway database created for `migrate dev` and dropped afterwards.
 * And it sends each migration script to PostgreSQL whole: the stock adapter splits scripts on
 * every `;`, which breaks function bodies (`$$ … ; … $$`), where PostgreSQL's simple query
 * protocol runs a multi-statement script as one implicit transaction, as Prisma's own engine does.
 * The app itself never uses this module.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";

const CATALOG_TEXT_OIDS = new Set([18, 19]);
const TEXT_OID = 25;

type QueryResultLike = { fields?: Array<{ dataTypeID: number }> };
type Query = (...args: unknown[]) => unknown;

function relabelCatalogTypes(result: unknown): void {
  const rows = Array.isArray(result) ? result : [result];
  for (const r of rows as QueryResultLike[]) {
    for (const field of r?.fields ?? []) {
      if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
  }
}

function patchClient(client: pg.PoolClient): void {
  const original = client.query.bind(client) as Query;
  const patched: Query = (...args) => {
    // pg.Pool calls client.query with a callback; direct callers get a promise.
    const last = args[args.length - 1];
    if (typeof last === "function") {
      const callback = last as (error: unknown, result: unknown) => void;
      args[args.length - 1] = (error: unknown, result: unknown) => {
        if (!error) relabelCatalogTypes(result);
        callback(error, result);
      };
      return original(...args);
    }
    const out = original(...args);
    return out instanceof Promise
      ? out.then((result: unknown) => {
          relabelCatalogTypes(result);
          return result;
        })
      : out;
  };
  (client as unknown as { query: Query }).query = patched;
}

function createPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 4, idleTimeoutMillis: 200, allowExitOnIdle: true });
  pool.on("connect", patchClient);
  return pool;
}

type Connected = Awaited<ReturnType<PrismaPg["connect"]>>;

/** Makes a connected adapter run scripts as one query instead of one query per `;`. */
function runScriptsWhole(adapter: Connected, pool: pg.Pool): Connected {
  const onError = (adapter as unknown as { onError(error: unknown): never }).onError.bind(adapter);
  return Object.assign(adapter, {
    async executeScript(script: string): Promise<void> {
      try {
        await pool.query(script);
      } catch (error) {
        onError(error);
      }
    },
  });
}

function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A migrate-capable adapter factory for the Prisma CLI. */
export function createMigrateAdapter(connectionString: string) {
  const pool = createPool(connectionString);
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const connect = adapter.connect.bind(adapter);
  return Object.assign(adapter, {
    async connect() {
      return runScriptsWhole(await connect(), pool);
    },
    async connectToShadowDb() {
      const name = `prisma_shadow_${randomBytes(8).toString("hex")}`;
      const admin = new pg.Client({ connectionString });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      const shadowPool = createPool(withDatabase(connectionString, name));
      const shadow = runScriptsWhole(
        await new PrismaPg(shadowPool, { disposeExternalPool: true }).connect(),
        shadowPool,
      );
      const dispose = shadow.dispose.bind(shadow);
      return Object.assign(shadow, {
        async dispose() {
          await dispose();
          const cleanup = new pg.Client({ connectionString });
          await cleanup.connect();
          try {
            await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
          } finally {
            await cleanup.end();
          }
        },
      });
    },
  });
}

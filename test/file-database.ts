/**
 * Vitest setup file: gives the test file about to run its own copy of the run's migrated
 * database (CREATE DATABASE … TEMPLATE, a file copy on the server), so rows one file leaves
 * behind, and the background workers one file starts, never meet another file's.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

const template = process.env.TEST_DATABASE_TEMPLATE;
const admin = process.env.TEST_DATABASE_ADMIN_URL;
const base = process.env.DATABASE_URL;
if (template && admin && base) {
  const name = `${template}_f_${randomBytes(4).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`create database "${name}" template "${template}"`);
  } finally {
    await client.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
}

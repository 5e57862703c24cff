// Writes src/workflows/apply-workflow.sql.ts from apply-workflow.sql (part of `npm run build`): Node (tsx,
// vitest) cannot import a .sql file, and reading it at run time would break the esbuild bundles in dist/,
// so the SQL travels as a string constant that every runner and bundle loads like any other module.
// test/unit/workflows/apply-workflow-sql.test.ts fails when the two differ.
import { readFileSync, writeFileSync } from "node:fs";
import { embeddedSqlModule } from "../src/workflows/embedded-sql.ts";

const sqlPath = new URL("../src/workflows/apply-workflow.sql", import.meta.url);
const modulePath = new URL("../src/workflows/apply-workflow.sql.ts", import.meta.url);
const module = embeddedSqlModule(readFileSync(sqlPath, "utf8"));
if (readFileSync(modulePath, { encoding: "utf8", flag: "a+" }) !== module) writeFileSync(modulePath, module);

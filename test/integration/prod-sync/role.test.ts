// Production is only read: writes through export-prod's connection fail (even with an admin URL), and
// the least-privilege role from README.md is enough for an export and no more.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterEach, describe, expect, inject, it } from "vitest";
import { connect } from "../../../src/db/db.ts";
import { assertReadOnly, readOnlyUrl, withReadOnlySource } from "../../../src/prod-sync/source.ts";
import { credentialNode, sampleNodes, seedCredential, seedWorkflow } from "../../../src/samples/seed.ts";
import { DAY, database, dropDatabases, filesIn, migrationsDir, runExport } from "./helpers.ts";
import type { TestDatabase } from "../../support/db.ts";
import { exportProdExitCode } from "../../../src/cli/exit-codes.ts";
import { migrationConstant } from "../../../src/workflows/read-migration.ts";
import { installCommunityPackage } from "../../support/node-types.ts";

const roles: string[] = [];
afterEach(async () => {
  await dropDatabases();
  const admin = new pg.Client({ connectionString: inject("pgAdminUrl") });
  await admin.connect();
  try {
    for (const role of roles.splice(0)) await admin.query(`DROP ROLE IF EXISTS ${role}`);
  } finally {
    await admin.end();
  }
});

describe("read-only export connection", () => {
  it("a write through export-prod's connections fails, even with an admin URL (pg client and Prisma)", async () => {
    const prod = await database("n8n2");
    const wf = await seedWorkflow(prod, { name: "Keep me" });
    await withReadOnlySource(prod.url, prod.schema, async (source) => {
      await expect(source.client.query(`UPDATE workflow_entity SET name = 'changed' WHERE id = $1`, [wf.id])).rejects.toThrow(
        /read-only transaction/,
      );
      await expect(source.client.query(`CREATE TABLE written_by_export (x int)`)).rejects.toThrow(/read-only transaction/);
      await expect(source.prisma.workflowEntity.updateMany({ where: { id: wf.id }, data: { name: "changed" } })).rejects.toThrow(
        /read-only transaction/,
      );
      await expect(source.prisma.$executeRawUnsafe(`DELETE FROM workflow_entity`)).rejects.toThrow(/read-only transaction/);
    });
    expect(await prod.query(`SELECT name FROM workflow_entity WHERE id = $1`, [wf.id])).toEqual([{ name: "Keep me" }]);
  });

  it("refuses a connection that is not read-only (e.g. a pooler that dropped the startup option)", async () => {
    const prod = await database("n8n2");
    const plain = await connect(prod.url);
    try {
      await expect(assertReadOnly(plain)).rejects.toThrow(/did not accept the read-only session option/);
    } finally {
      await plain.end();
    }
    const ro = await connect(readOnlyUrl(prod.url));
    try {
      await assertReadOnly(ro);
    } finally {
      await ro.end();
    }
  });

  it("keeps options already in the URL", () => {
    const url = readOnlyUrl("postgresql://u:p@h:5432/db?sslmode=disable&options=-c%20search_path%3Dn8n");
    expect(new URL(url).searchParams.get("options")).toBe("-c search_path=n8n -c default_transaction_read_only=on");
    expect(new URL(url).searchParams.get("sslmode")).toBe("disable");
  });
});

/** The role SQL of README.md's "Production export role" section, for a role name of the test's own. */
async function readmeRoleSql(role: string, options: { n8n1?: boolean; schema?: string } = {}): Promise<string> {
  const readme = await readFile(new URL("../../../README.md", import.meta.url), "utf8");
  const block = /```sql\n(CREATE ROLE n8n_sync_reader[\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("README.md has no ```sql block creating n8n_sync_reader");
  let sql = block.replaceAll("n8n_sync_reader", role).replace("'change-me'", "'test-password'");
  if (options.schema) sql = sql.replaceAll("public", options.schema);
  if (options.n8n1) sql = sql.replace(/,\s*"nodeGroups"/, "").replace(/^GRANT [^\n]*instance_version_history[^\n]*\n/m, "");
  return sql;
}

async function createRole(db: TestDatabase, options: { n8n1?: boolean; schema?: string } = {}): Promise<string> {
  const role = `n8n_sync_reader_${randomBytes(4).toString("hex")}`;
  roles.push(role);
  await db.query(await readmeRoleSql(role, options));
  return role;
}

function urlAs(db: TestDatabase, role: string): string {
  const url = new URL(db.url);
  url.username = role;
  url.password = "test-password";
  return url.toString();
}

describe("README's least-privilege production role", () => {
  it("without the community package and version grants (an older role), still exports, recording none", async () => {
    const prod = await database("n8n2");
    await installCommunityPackage(prod, { packageName: "n8n-nodes-weather", installedVersion: "1.4.0", nodes: [{ node: "weather", displayName: "Weather", latestVersion: 1 }] });
    const forecast = { parameters: {}, id: "f1", name: "Forecast", type: "n8n-nodes-weather.weather", typeVersion: 1, position: [0, 0] };
    await seedWorkflow(prod, { name: "Orders", updatedAt: new Date(Date.now() - DAY), nodes: [...sampleNodes(), forecast] });
    const role = await createRole(prod);
    await prod.query(`REVOKE SELECT ON installed_nodes, installed_packages, instance_version_history FROM ${role}`);
    const dir = await migrationsDir();
    expect(await runExport({ ...prod, url: urlAs(prod, role) }, dir)).toMatchObject({ written: 1 });
    const { sql: file } = (await filesIn(dir))[0]!;
    expect(migrationConstant(file, "community_nodes")).toEqual([]);
    expect(migrationConstant(file, "n8n_version")).toBeNull();
  });

  for (const [fixture, label] of [["n8n2", "n8n 2.x"], ["n8n1", "n8n 1.x (without nodeGroups)"], ["n8n2schema", "schema n8n"]] as const) {
    it(`can run an export (${label}) and cannot read credential data, pinData, staticData or executions`, async () => {
      const prod = await database(fixture);
      const credentialId = await seedCredential(prod, { name: "Orders API", type: "httpHeaderAuth" });
      await installCommunityPackage(prod, { packageName: "n8n-nodes-weather", installedVersion: "1.4.0", nodes: [{ node: "weather", displayName: "Weather", latestVersion: 1 }] });
      const forecast = { parameters: {}, id: "f1", name: "Forecast", type: "n8n-nodes-weather.weather", typeVersion: 1, position: [0, 0] };
      await seedWorkflow(prod, {
        name: "Orders",
        tags: ["prod"],
        updatedAt: new Date(Date.now() - DAY),
        nodes: [...sampleNodes(), credentialNode("Fetch", { id: credentialId, name: "Orders API" }), forecast],
      });
      const role = await createRole(prod, { n8n1: fixture === "n8n1", schema: prod.schema });
      const roleDb = { ...prod, url: urlAs(prod, role) };

      const dir = await migrationsDir();
      const result = await runExport(roleDb, dir);
      expect(result).toMatchObject({ written: 1 });
      expect(exportProdExitCode(result)).toBe(0);
      expect(result.summary).toContain("`httpHeaderAuth` Orders API");
      const { sql: file } = (await filesIn(dir))[0]!;
      expect(file).toContain(`in_tags             constant json        := $n8n$["prod"]$n8n$;`);
      // The role reads which community packages and n8n version production runs (n8n 1.x records no version).
      expect(migrationConstant(file, "community_nodes")).toEqual([expect.objectContaining({ node: "Forecast", package: "n8n-nodes-weather", version: "1.4.0" })]);
      expect(migrationConstant(file, "n8n_version")).toBe(fixture === "n8n1" ? null : "2.41.1");

      const client = new pg.Client({ connectionString: roleDb.url });
      await client.connect();
      try {
        const s = `"${prod.schema}"`;
        for (const sql of [
          `SELECT data FROM ${s}.credentials_entity`,
          `SELECT "pinData" FROM ${s}.workflow_entity`,
          `SELECT "staticData" FROM ${s}.workflow_entity`,
          `SELECT * FROM ${s}.workflow_entity`,
          `SELECT id FROM ${s}.execution_entity`,
          `SELECT * FROM ${s}."user"`,
        ]) {
          await expect(client.query(sql), sql).rejects.toThrow(/permission denied/);
        }
        // The role's own default: even without export-prod's startup option, a session cannot write.
        await expect(client.query(`CREATE TEMP TABLE t (x int)`)).rejects.toThrow(/read-only transaction/);
      } finally {
        await client.end();
      }
    });
  }
});

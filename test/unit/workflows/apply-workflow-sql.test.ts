// apply-workflow.sql is the apply logic of every workflow file. The literals it shares with TypeScript
// must agree word for word, and the module the bundles load must be the current text of the file.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { notReadyMessage } from "../../../src/n8n/schema.ts";
import { GUC } from "../../../src/workflows/apply-settings.ts";
import { APPLY_WORKFLOW_SQL } from "../../../src/workflows/apply-workflow.sql.ts";
import { REASONS, SYNCED_OUTCOMES } from "../../../src/workflows/conflict.ts";
import { embeddedSqlModule } from "../../../src/workflows/embedded-sql.ts";
import { sqlString } from "../../../src/workflows/render.ts";
import { NOTICE_PREFIX, UNRESOLVED_STATUSES } from "../../../src/workflows/report.ts";

const sqlFile = new URL("../../../src/workflows/apply-workflow.sql", import.meta.url);

describe("apply-workflow.sql", () => {
  it("is what apply-workflow.sql.ts carries (npm run build regenerates it)", () => {
    const sql = readFileSync(sqlFile, "utf8");
    expect(APPLY_WORKFLOW_SQL).toBe(sql);
    expect(readFileSync(new URL("../../../src/workflows/apply-workflow.sql.ts", import.meta.url), "utf8")).toBe(embeddedSqlModule(sql));
  });

  it("uses the settings, reasons, outcomes and messages TypeScript uses", () => {
    for (const name of Object.values(GUC)) expect(APPLY_WORKFLOW_SQL).toContain(`current_setting('${name}', true)`);
    for (const reason of Object.values(REASONS)) expect(APPLY_WORKFLOW_SQL).toContain(sqlString(reason));
    expect(APPLY_WORKFLOW_SQL).toContain(`m.outcome IN (${SYNCED_OUTCOMES.map(sqlString).join(", ")})`);
    expect(APPLY_WORKFLOW_SQL).toContain(`MESSAGE = format('${NOTICE_PREFIX} `);
    expect(APPLY_WORKFLOW_SQL).toContain(`FILTER (WHERE r ->> 'status' IN (${UNRESOLVED_STATUSES.map(sqlString).join(", ")}))`);
    expect(APPLY_WORKFLOW_SQL).toContain(`RAISE EXCEPTION ${sqlString(notReadyMessage("%"))}, coalesce(wanted_schema, '(any)');`);
  });
});

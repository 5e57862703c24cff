// Prisma CLI settings. Only `prisma generate` / `validate` / `format` are used (n8n owns its tables, so
// there are no Prisma migrations and no `db pull`); they need no database URL.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
});

-- CreateTable
-- The write fence of a tenant in this region: while a row exists, no write of the tenant's data
-- may commit here (see packages/db/src/write-fence.ts). Raised by the source region's worker when
-- a migration's freeze-time copy begins, removed on rollback/failure or with the source copy.
-- Not tenant data: never copied to another region (not in TENANT_TABLES).
CREATE TABLE "tenant_write_fences" (
    "tenant_id" UUID NOT NULL,
    "migration_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_write_fences_pkey" PRIMARY KEY ("tenant_id")
);

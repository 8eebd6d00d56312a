-- CreateEnum
CREATE TYPE "TenantState" AS ENUM ('active', 'disabled', 'uninstalled', 'deleted');

-- CreateEnum
CREATE TYPE "MigrationState" AS ENUM ('scheduled', 'pre_copying', 'frozen', 'copying', 'verifying', 'ready_to_commit', 'committed', 'failed', 'rolled_back', 'cancelled');

-- CreateEnum
CREATE TYPE "DeletionState" AS ENUM ('pending', 'running', 'done', 'cancelled');

-- CreateTable
CREATE TABLE "tenants" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "client_key" TEXT NOT NULL,
    "installation_id" TEXT,
    "platform" TEXT NOT NULL DEFAULT 'connect',
    "product_type" TEXT NOT NULL DEFAULT 'confluence',
    "base_url" TEXT NOT NULL,
    "display_url" TEXT,
    "shared_secret_enc" BYTEA,
    "home_region" TEXT NOT NULL,
    "state" "TenantState" NOT NULL DEFAULT 'active',
    "frozen_by_migration" UUID,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "installed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalled_at" TIMESTAMPTZ(3),

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "migrations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "external_id" TEXT,
    "origin" TEXT NOT NULL DEFAULT 'atlassian',
    "source_region" TEXT NOT NULL,
    "target_region" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "state" "MigrationState" NOT NULL DEFAULT 'scheduled',
    "auto_commit" BOOLEAN NOT NULL DEFAULT false,
    "window_start" TIMESTAMPTZ(3),
    "window_end" TIMESTAMPTZ(3),
    "error_code" TEXT,
    "error_message" TEXT,
    "progress" JSONB NOT NULL DEFAULT '{}',
    "report" JSONB,
    "requested_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "migrations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "migration_events" (
    "id" BIGSERIAL NOT NULL,
    "migration_id" UUID NOT NULL,
    "from_state" "MigrationState",
    "to_state" "MigrationState" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "detail" JSONB,

    CONSTRAINT "migration_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deletions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "client_key" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT 'uninstalled',
    "uninstalled_at" TIMESTAMPTZ(3) NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "state" "DeletionState" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "receipt" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deletions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operator_audit" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "subject" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "outcome" TEXT NOT NULL DEFAULT 'ok',
    "detail" JSONB,

    CONSTRAINT "operator_audit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tenants_client_key_key" ON "tenants"("client_key");

-- CreateIndex
CREATE UNIQUE INDEX "tenants_installation_id_key" ON "tenants"("installation_id");

-- CreateIndex
CREATE INDEX "tenants_home_region_idx" ON "tenants"("home_region");

-- CreateIndex
CREATE INDEX "migrations_state_idx" ON "migrations"("state");

-- CreateIndex
CREATE UNIQUE INDEX "migrations_tenant_id_external_id_key" ON "migrations"("tenant_id", "external_id");

-- CreateIndex
CREATE INDEX "migration_events_migration_id_at_idx" ON "migration_events"("migration_id", "at");

-- CreateIndex
CREATE INDEX "deletions_state_due_at_idx" ON "deletions"("state", "due_at");

-- CreateIndex
CREATE INDEX "deletions_tenant_id_idx" ON "deletions"("tenant_id");

-- CreateIndex
CREATE INDEX "operator_audit_at_idx" ON "operator_audit"("at");

-- AddForeignKey
ALTER TABLE "migrations" ADD CONSTRAINT "migrations_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "migration_events" ADD CONSTRAINT "migration_events_migration_id_fkey" FOREIGN KEY ("migration_id") REFERENCES "migrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deletions" ADD CONSTRAINT "deletions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

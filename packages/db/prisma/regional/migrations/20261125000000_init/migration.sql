-- CreateTable
CREATE TABLE "layouts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "schema_version" INTEGER NOT NULL DEFAULT 1,
    "content" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "layouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "layout_revisions" (
    "tenant_id" UUID NOT NULL,
    "layout_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "schema_version" INTEGER NOT NULL,
    "content" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "layout_revisions_pkey" PRIMARY KEY ("layout_id","version")
);

-- CreateTable
CREATE TABLE "themes" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "scope" TEXT NOT NULL DEFAULT 'site',
    "schema_version" INTEGER NOT NULL DEFAULT 1,
    "tokens" JSONB NOT NULL,
    "images" JSONB NOT NULL DEFAULT '{}',
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "themes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "theme_revisions" (
    "tenant_id" UUID NOT NULL,
    "theme_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "schema_version" INTEGER NOT NULL,
    "tokens" JSONB NOT NULL,
    "images" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "theme_revisions_pkey" PRIMARY KEY ("theme_id","version")
);

-- CreateTable
CREATE TABLE "space_themes" (
    "tenant_id" UUID NOT NULL,
    "space_key" TEXT NOT NULL,
    "theme_id" UUID NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "space_themes_pkey" PRIMARY KEY ("tenant_id","space_key")
);

-- CreateTable
CREATE TABLE "assets" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenant_id" UUID NOT NULL,
    "sha256" TEXT NOT NULL,
    "media_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "width" INTEGER,
    "height" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "assets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "asset_references" (
    "tenant_id" UUID NOT NULL,
    "asset_id" UUID NOT NULL,
    "document_type" TEXT NOT NULL,
    "document_id" UUID NOT NULL,

    CONSTRAINT "asset_references_pkey" PRIMARY KEY ("document_type","document_id","asset_id")
);

-- CreateTable
CREATE TABLE "tenant_settings" (
    "tenant_id" UUID NOT NULL,
    "allow_space_themes" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_settings_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateIndex
CREATE INDEX "layouts_tenant_id_scope_id_idx" ON "layouts"("tenant_id", "scope", "id");

-- CreateIndex
CREATE INDEX "layouts_tenant_id_id_idx" ON "layouts"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "layout_revisions_tenant_id_idx" ON "layout_revisions"("tenant_id");

-- CreateIndex
CREATE INDEX "themes_tenant_id_scope_id_idx" ON "themes"("tenant_id", "scope", "id");

-- CreateIndex
CREATE INDEX "themes_tenant_id_id_idx" ON "themes"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "theme_revisions_tenant_id_idx" ON "theme_revisions"("tenant_id");

-- CreateIndex
CREATE INDEX "space_themes_theme_id_idx" ON "space_themes"("theme_id");

-- CreateIndex
CREATE INDEX "assets_tenant_id_id_idx" ON "assets"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "assets_tenant_id_sha256_key" ON "assets"("tenant_id", "sha256");

-- CreateIndex
CREATE INDEX "asset_references_tenant_id_asset_id_idx" ON "asset_references"("tenant_id", "asset_id");

-- Exactly one default theme per tenant (Prisma cannot express a partial unique index; kept here).
CREATE UNIQUE INDEX "themes_one_default_per_tenant" ON "themes"("tenant_id") WHERE "is_default";

-- AddForeignKey
ALTER TABLE "layout_revisions" ADD CONSTRAINT "layout_revisions_layout_id_fkey" FOREIGN KEY ("layout_id") REFERENCES "layouts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "theme_revisions" ADD CONSTRAINT "theme_revisions_theme_id_fkey" FOREIGN KEY ("theme_id") REFERENCES "themes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "space_themes" ADD CONSTRAINT "space_themes_theme_id_fkey" FOREIGN KEY ("theme_id") REFERENCES "themes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "asset_references" ADD CONSTRAINT "asset_references_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "assets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "cloud_id" TEXT,
ADD COLUMN     "forge_api_base_url" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "tenants_cloud_id_key" ON "tenants"("cloud_id");

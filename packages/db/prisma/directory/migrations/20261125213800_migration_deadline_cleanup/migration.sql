-- AlterTable
ALTER TABLE "migrations" ADD COLUMN     "deadline_at" TIMESTAMPTZ(3),
ADD COLUMN     "cleanup_done_at" TIMESTAMPTZ(3);

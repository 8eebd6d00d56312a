-- The MD5 of an asset's bytes, computed by the asset service in the same pass as its sha256:
-- a store that reports the MD5 of a copy's bytes (its ETag) proves a migration's copy against it
-- without reading the copy back. NULL for assets stored before this column existed.
ALTER TABLE "assets" ADD COLUMN "md5" TEXT;

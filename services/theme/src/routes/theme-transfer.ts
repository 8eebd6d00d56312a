import { createHash } from 'node:crypto';
import type { Authorize } from '@rt/auth';
import type { RegionalDb } from '@rt/db';
import { type DocumentRepository, type StoredDocument, sendDocument, themeKind } from '@rt/documents';
import { BadRequest, ErrorBody, NotFound } from '@rt/http';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Identifies a theme file; bumped when its shape changes incompatibly. */
export const THEME_FILE_FORMAT = 'refined-toolkit/theme';
export const THEME_FILE_VERSION = 1;
/** Largest total of inline images in one file (export and import). */
export const MAX_INLINE_IMAGE_BYTES = 8 * 1024 * 1024;

/** Options of {@link themeTransferRoutes}. */
export interface ThemeTransferOptions {
  /** Reads of themes and assets (export, the source of a copy, image resolution). */
  db: RegionalDb;
  /**
   * The theme repository the CRUD routes write through: imports and copies are created by its
   * `create` (asset-reference checks, first revision, usages), so there is one write path for
   * themes (and the same read cache is dropped after each write). Required: a second repository
   * would write past the cache.
   */
  themes: DocumentRepository;
  authorize: Authorize;
  /**
   * The theme schemas the CRUD routes validate with (`ThemeTokens`, `ThemeImages` of
   * `@rt/documents`), so an import is validated exactly like a create.
   */
  schemas: { tokens: TSchema; images: TSchema };
  /** Reads an asset's bytes (region's bucket); without it, `images=inline` exports are refused. */
  readAsset?: (tenantId: string, sha256: string) => Promise<Uint8Array>;
  /**
   * Stores an inline image of an imported file as an asset of the tenant (the asset service's
   * validation and storage) and returns its id; without it, only images by reference import.
   */
  storeAsset?: (
    tenantId: string,
    image: { bytes: Buffer; mediaType: string; sha256: string },
  ) => Promise<string>;
  /**
   * Extra checks of the imported theme before schema validation — the create route's guard
   * (depth, size): e.g. `(theme) => documentBodyGuard(themeKind)({ body: theme } as FastifyRequest)`.
   */
  guardTheme?: (theme: unknown) => Promise<void> | void;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Postgres cannot store NUL nor lone surrogates in text/jsonb: refuse them as input (400), not 500. */
function assertStorableText(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000') || LONE_SURROGATE.test(value)) {
      throw new BadRequest('INVALID_TEXT', `${path} contains text that cannot be stored`, [
        { path, message: 'text cannot be stored' },
      ]);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      assertStorableText(v, `${path}/${i}`);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      assertStorableText(k, path);
      assertStorableText(v, `${path}/${k}`);
    }
  }
}

const Uuid = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
});
const Scope = Type.String({ pattern: '^(site|space:~?[A-Za-z0-9][A-Za-z0-9_~-]{0,254})$' });
const Name = Type.String({ minLength: 1, maxLength: 120 });
const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$' });

/** An image listed in a theme file: its identity, and its bytes when exported inline. */
const FileAsset = Type.Object(
  {
    id: Uuid,
    sha256: Sha256,
    mediaType: Type.String({ pattern: '^image/[a-z0-9.+-]+$', maxLength: 100 }),
    size: Type.Integer({ minimum: 0 }),
    width: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    height: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    data: Type.Optional(
      Type.String({ contentEncoding: 'base64', maxLength: Math.ceil(MAX_INLINE_IMAGE_BYTES / 3) * 4 }),
    ),
  },
  { additionalProperties: false },
);
type FileAsset = Static<typeof FileAsset>;

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, ErrorBody]));

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

type Images = Record<string, { $asset: string } | undefined>;

/** Sends a theme the transfer routes created, exactly like the create route does. */
const sendCreated = (reply: FastifyReply, theme: StoredDocument) =>
  sendDocument(reply.header('location', `${themeKind.basePath}/${theme.id}`), theme, 201);

/** Approximate decoded size of a file's inline images (base64: 3 bytes per 4 characters). */
const inlineBytesOf = (assets: FileAsset[]): number =>
  assets.reduce((sum, a) => sum + (a.data ? Math.floor((a.data.length * 3) / 4) : 0), 0);

/** The TypeBox schemas of the transfer routes (the theme parts are the CRUD routes' schemas). */
function transferSchemas(schemas: ThemeTransferOptions['schemas']) {
  const ThemeBody = Type.Object(
    { name: Name, scope: Scope, tokens: schemas.tokens, images: schemas.images },
    { additionalProperties: false },
  );
  const ThemeFile = Type.Object(
    {
      format: Type.Literal(THEME_FILE_FORMAT),
      formatVersion: Type.Literal(THEME_FILE_VERSION),
      theme: ThemeBody,
      assets: Type.Array(FileAsset, { maxItems: 16 }),
    },
    { additionalProperties: false, title: 'ThemeFile' },
  );
  const Theme = Type.Object({
    id: Type.String(),
    name: Type.String(),
    scope: Type.String(),
    schemaVersion: Type.Integer(),
    tokens: schemas.tokens,
    images: schemas.images,
    isDefault: Type.Boolean(),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  });
  const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
  return { ThemeFile, Theme, IdParams };
}

type ThemeFile = {
  format: string;
  formatVersion: number;
  theme: { name: string; scope: string; tokens: unknown; images: unknown };
  assets: FileAsset[];
};

/**
 * The steps of export, import and copy, each a named function over the route options (the
 * routes below only parse, authorize and send).
 */
class ThemeTransfer {
  private readonly db: RegionalDb;
  private readonly themes: DocumentRepository;

  constructor(private readonly options: ThemeTransferOptions) {
    this.db = options.db;
    this.themes = options.themes;
  }

  /** The theme row (Prisma: parsed JSON) or 404. */
  async requireTheme(tenantId: string, id: string) {
    const theme = await this.db.theme.findFirst({ where: { tenantId, id: id.toLowerCase() } });
    if (!theme) throw new NotFound('theme');
    return theme;
  }

  /** The file of a theme: the theme and a manifest of its images, inline if asked. */
  async exportFile(tenantId: string, id: string, inline: boolean) {
    if (inline && !this.options.readAsset) {
      throw new BadRequest('INLINE_IMAGES_UNAVAILABLE', 'this service exports images by reference only');
    }
    const theme = await this.requireTheme(tenantId, id);
    const manifest = await this.manifestOf(tenantId, (theme.images ?? {}) as Images, inline);
    return {
      name: theme.name,
      file: {
        format: THEME_FILE_FORMAT,
        formatVersion: THEME_FILE_VERSION,
        theme: { name: theme.name, scope: theme.scope, tokens: theme.tokens, images: theme.images },
        assets: manifest,
      },
    };
  }

  /** The manifest of a theme's images, with their bytes when `inline`. */
  private async manifestOf(tenantId: string, images: Images, inline: boolean): Promise<FileAsset[]> {
    const ids = Object.values(images)
      .filter((r): r is { $asset: string } => !!r)
      .map((r) => r.$asset.toLowerCase());
    const assets = ids.length
      ? await this.db.asset.findMany({
          where: { tenantId, id: { in: ids } },
          select: { id: true, sha256: true, mediaType: true, size: true, width: true, height: true },
          orderBy: { id: 'asc' },
        })
      : [];
    const total = assets.reduce((sum, a) => sum + a.size, 0);
    if (inline && total > MAX_INLINE_IMAGE_BYTES) {
      throw new BadRequest('INLINE_TOO_LARGE', 'the images are too large to inline; export by reference');
    }
    const manifest: FileAsset[] = [];
    const { readAsset } = this.options;
    for (const a of assets) {
      const data =
        inline && readAsset ? Buffer.from(await readAsset(tenantId, a.sha256)).toString('base64') : undefined;
      manifest.push({ ...a, ...(data !== undefined ? { data } : {}) });
    }
    return manifest;
  }

  /** A new theme from a file, in `scope`: its images resolved to this tenant's assets first. */
  async importFile(tenantId: string, file: ThemeFile, scope: string) {
    if (inlineBytesOf(file.assets) > MAX_INLINE_IMAGE_BYTES) {
      throw new BadRequest('INLINE_TOO_LARGE', 'the inline images of this file are too large');
    }
    const images = await this.resolveImages(tenantId, file);
    return this.themes.create(tenantId, {
      name: file.theme.name,
      scope,
      fields: { tokens: file.theme.tokens, images },
    });
  }

  /** A new theme with the tokens and images of `source`. */
  async copy(
    tenantId: string,
    source: { name: string; tokens: unknown; images: unknown },
    target: { name?: string; scope: string },
  ) {
    return this.themes.create(tenantId, {
      name: target.name ?? `${source.name.slice(0, 113)} (copy)`,
      scope: target.scope,
      fields: { tokens: source.tokens, images: source.images ?? {} },
    });
  }

  /** The file's images by role, each pointing at an asset of this tenant. */
  private async resolveImages(tenantId: string, file: ThemeFile): Promise<Images> {
    const manifest = new Map(file.assets.map((a) => [a.id.toLowerCase(), a]));
    const images: Images = {};
    for (const [role, ref] of Object.entries(file.theme.images as Images)) {
      if (!ref) continue;
      images[role] = { $asset: await this.resolveImage(tenantId, role, ref.$asset.toLowerCase(), manifest) };
    }
    return images;
  }

  /**
   * The asset id of an imported image in this tenant: the same id, else the same bytes
   * (sha256) uploaded here before, else the file's inline bytes stored as a new asset;
   * otherwise 400 `UNKNOWN_ASSET`.
   */
  private async resolveImage(
    tenantId: string,
    role: string,
    assetId: string,
    manifest: Map<string, FileAsset>,
  ): Promise<string> {
    const own = await this.db.asset.findFirst({ where: { tenantId, id: assetId }, select: { id: true } });
    if (own) return own.id;
    const listed = manifest.get(assetId);
    if (listed) {
      const same = await this.db.asset.findFirst({
        where: { tenantId, sha256: listed.sha256 },
        select: { id: true },
      });
      if (same) return same.id;
      if (listed.data !== undefined) return this.storeInline(tenantId, role, listed, listed.data);
    }
    throw new BadRequest('UNKNOWN_ASSET', `the image of ${role} is not an asset of this site`, [
      { path: `/theme/images/${role}/$asset`, assetId },
    ]);
  }

  /** Stores an inline image through the asset service's seam, after checking its sha256. */
  private async storeInline(
    tenantId: string,
    role: string,
    listed: FileAsset,
    data: string,
  ): Promise<string> {
    if (!this.options.storeAsset) {
      throw new BadRequest('INLINE_IMAGES_UNAVAILABLE', 'inline images cannot be imported here; upload them');
    }
    const bytes = Buffer.from(data, 'base64');
    if (sha256Of(bytes) !== listed.sha256) {
      throw new BadRequest(
        'ASSET_CHECKSUM_MISMATCH',
        `the inline image of ${role} does not match its sha256`,
        {
          path: `/theme/images/${role}`,
        },
      );
    }
    return this.options.storeAsset(tenantId, { bytes, mediaType: listed.mediaType, sha256: listed.sha256 });
  }
}

/**
 * Export, import and copy of a single theme (the CRUD routes live with the documents module):
 * - `GET /api/v1/themes/:id/export?images=reference|inline` → a JSON file: the theme and a
 *   manifest of its images (id, sha256, type, size), with the bytes base64-encoded when inline;
 * - `POST /api/v1/themes/import?scope=` → a new theme from such a file, validated like a create;
 *   each image resolves to an asset of this tenant by id, else by sha256 (the same image
 *   uploaded here before), else from its inline bytes; otherwise 400 `UNKNOWN_ASSET`;
 * - `POST /api/v1/themes/:id/copy` → a new theme with the same tokens and images.
 * Writes go through `authorize` (actions `import` / `copy`, resource `theme`, the new scope),
 * then through the theme repository's `create`, like a create. New themes are never the
 * default; each starts at version 1 with its first revision.
 */
export async function themeTransferRoutes(
  app: FastifyInstance,
  options: ThemeTransferOptions,
): Promise<void> {
  const { authorize } = options;
  const transfer = new ThemeTransfer(options);
  const { ThemeFile, Theme, IdParams } = transferSchemas(options.schemas);
  const tags = ['themes'];

  app.get(
    '/api/v1/themes/:id/export',
    {
      schema: {
        tags,
        summary: 'Export a theme as a JSON file (images by reference or inline)',
        params: IdParams,
        querystring: Type.Object(
          { images: Type.Optional(Type.Union([Type.Literal('reference'), Type.Literal('inline')])) },
          { additionalProperties: false },
        ),
        response: { 200: ThemeFile, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const inline = (request.query as { images?: string }).images === 'inline';
      const { name, file } = await transfer.exportFile(request.tenant.tenantId, id, inline);
      const slug = name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60) || 'theme';
      reply.header('content-disposition', `attachment; filename="${slug}.theme.json"`);
      return file;
    },
  );

  app.post(
    '/api/v1/themes/import',
    {
      bodyLimit: Math.ceil(MAX_INLINE_IMAGE_BYTES / 3) * 4 + 512 * 1024,
      preValidation: async (request) => {
        const theme = (request.body as { theme?: unknown } | null)?.theme;
        if (theme === undefined) return;
        assertStorableText(theme, '/theme');
        await options.guardTheme?.(theme);
      },
      schema: {
        tags,
        summary: 'Create a theme from an exported theme file',
        querystring: Type.Object({ scope: Type.Optional(Scope) }, { additionalProperties: false }),
        body: ThemeFile,
        response: { 201: Theme, ...errors(400, 401, 403, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const file = request.body as Static<typeof ThemeFile>;
      const scope = (request.query as { scope?: string }).scope ?? file.theme.scope;
      await authorize(request, { action: 'import', resource: 'theme', scope });
      return sendCreated(reply, await transfer.importFile(request.tenant.tenantId, file, scope));
    },
  );

  app.post(
    '/api/v1/themes/:id/copy',
    {
      schema: {
        tags,
        summary: 'Copy a theme (a new theme with the same tokens and images)',
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(Name), scope: Type.Optional(Scope) },
          { additionalProperties: false },
        ),
        response: { 201: Theme, ...errors(400, 401, 403, 404, 415, 503) },
      },
    },
    async (request, reply) => {
      const { tenantId } = request.tenant;
      const { id } = request.params as { id: string };
      const body = (request.body ?? {}) as { name?: string; scope?: string };
      const source = await transfer.requireTheme(tenantId, id);
      const scope = body.scope ?? source.scope;
      await authorize(request, { action: 'copy', resource: 'theme', scope });
      return sendCreated(reply, await transfer.copy(tenantId, source, { name: body.name, scope }));
    },
  );
}

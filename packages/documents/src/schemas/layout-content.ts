import { type Static, Type } from '@sinclair/typebox';
import { AssetRef, HttpUrl, SpaceKey } from './common.js';

// Layout content, schema version 1. A layout arranges a Confluence site or space: a header,
// a navigation, a grid of content blocks and a footer. Pages are referenced by their Confluence
// id only; page content is never copied (Atlassian content is fetched on demand by the client).
// A future version 2 gets its own module and is added to `LAYOUT_CONTENT_SCHEMAS`; stored
// documents keep their schemaVersion and are migrated on read or by a job.

const Label = Type.String({ minLength: 1, maxLength: 120 });
const PageId = Type.String({ pattern: '^[0-9]{1,20}$', description: 'Confluence content id' });
const BlockId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });

/** Where a navigation entry or link leads. */
export const LinkTarget = Type.Union([
  Type.Object({ type: Type.Literal('page'), pageId: PageId }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('space'), spaceKey: SpaceKey }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('url'), url: HttpUrl }, { additionalProperties: false }),
]);

const Link = Type.Object(
  { label: Label, target: LinkTarget, openInNewTab: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

const NavigationLeaf = Type.Object(
  { label: Label, target: LinkTarget, icon: Type.Optional(AssetRef) },
  { additionalProperties: false },
);

/** Navigation entries nest two levels deep (a menu and its sub-menu), as the product renders. */
const NavigationItem = Type.Object(
  {
    label: Label,
    target: Type.Optional(LinkTarget),
    icon: Type.Optional(AssetRef),
    children: Type.Optional(Type.Array(NavigationLeaf, { maxItems: 50 })),
  },
  { additionalProperties: false },
);

const Header = Type.Object(
  {
    visible: Type.Boolean(),
    height: Type.Union([Type.Literal('compact'), Type.Literal('regular'), Type.Literal('tall')]),
    title: Type.Optional(Type.String({ maxLength: 200 })),
    logo: Type.Optional(AssetRef),
    backgroundImage: Type.Optional(AssetRef),
    showSearch: Type.Optional(Type.Boolean()),
    links: Type.Optional(Type.Array(Link, { maxItems: 20 })),
  },
  { additionalProperties: false },
);

const Navigation = Type.Object(
  {
    style: Type.Union([
      Type.Literal('page-tree'),
      Type.Literal('tabs'),
      Type.Literal('mega-menu'),
      Type.Literal('none'),
    ]),
    position: Type.Union([Type.Literal('top'), Type.Literal('left')]),
    items: Type.Array(NavigationItem, { maxItems: 100 }),
  },
  { additionalProperties: false },
);

const blockBase = {
  id: BlockId,
  column: Type.Integer({ minimum: 1, maximum: 4, description: 'grid column the block sits in' }),
  title: Type.Optional(Type.String({ maxLength: 200 })),
};

const RichTextBlock = Type.Object(
  {
    ...blockBase,
    type: Type.Literal('rich-text'),
    // Confluence storage format produced by the editor; rendered by the front end, sanitised there.
    body: Type.String({ maxLength: 50_000 }),
  },
  { additionalProperties: false },
);
const ImageBlock = Type.Object(
  {
    ...blockBase,
    type: Type.Literal('image'),
    image: AssetRef,
    alt: Type.String({ maxLength: 300 }),
    link: Type.Optional(LinkTarget),
  },
  { additionalProperties: false },
);
const PageTreeBlock = Type.Object(
  {
    ...blockBase,
    type: Type.Literal('page-tree'),
    rootPageId: Type.Optional(PageId),
    depth: Type.Integer({ minimum: 1, maximum: 10 }),
  },
  { additionalProperties: false },
);
const LinkListBlock = Type.Object(
  { ...blockBase, type: Type.Literal('link-list'), links: Type.Array(Link, { maxItems: 50 }) },
  { additionalProperties: false },
);
const RecentUpdatesBlock = Type.Object(
  {
    ...blockBase,
    type: Type.Literal('recent-updates'),
    limit: Type.Integer({ minimum: 1, maximum: 50 }),
    spaceKeys: Type.Optional(Type.Array(SpaceKey, { maxItems: 20 })),
  },
  { additionalProperties: false },
);
const SearchBlock = Type.Object(
  { ...blockBase, type: Type.Literal('search'), placeholder: Type.Optional(Type.String({ maxLength: 120 })) },
  { additionalProperties: false },
);
const CardsBlock = Type.Object(
  {
    ...blockBase,
    type: Type.Literal('cards'),
    cards: Type.Array(
      Type.Object(
        {
          title: Label,
          text: Type.Optional(Type.String({ maxLength: 1000 })),
          image: Type.Optional(AssetRef),
          target: Type.Optional(LinkTarget),
        },
        { additionalProperties: false },
      ),
      { maxItems: 24 },
    ),
  },
  { additionalProperties: false },
);

/** One content block of the grid. */
export const LayoutBlock = Type.Union([
  RichTextBlock,
  ImageBlock,
  PageTreeBlock,
  LinkListBlock,
  RecentUpdatesBlock,
  SearchBlock,
  CardsBlock,
]);

/** Layout content, version 1. */
export const LayoutContentV1 = Type.Object(
  {
    schemaVersion: Type.Literal(1),
    header: Header,
    navigation: Navigation,
    grid: Type.Object(
      {
        columns: Type.Integer({ minimum: 1, maximum: 4 }),
        maxWidth: Type.Union([Type.Literal('full'), Type.Integer({ minimum: 600, maximum: 2400 })]),
      },
      { additionalProperties: false },
    ),
    blocks: Type.Array(LayoutBlock, { maxItems: 200 }),
    footer: Type.Optional(
      Type.Object(
        {
          text: Type.Optional(Type.String({ maxLength: 1000 })),
          links: Type.Optional(Type.Array(Link, { maxItems: 20 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, title: 'LayoutContentV1' },
);
export type LayoutContentV1 = Static<typeof LayoutContentV1>;

/** The layout content schema accepted on write (the latest version). */
export const LayoutContent = LayoutContentV1;
/** Every known version, by schemaVersion. */
export const LAYOUT_CONTENT_SCHEMAS = { 1: LayoutContentV1 } as const;

import { type Static, Type } from '@sinclair/typebox';
import { AssetRef } from './common.js';

// Theme tokens, schema version 1: the design tokens the front end turns into CSS custom
// properties. Colours are hex; fonts come from an allow-list of families the app bundles or
// that every platform has (arbitrary font names would load fonts from anywhere).

/** `#rgb`, `#rrggbb` or `#rrggbbaa`. */
export const HexColor = Type.String({ pattern: '^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$' });

/** Font families the app ships (or that are system fonts). */
export const FONT_FAMILIES = [
  'system-ui',
  'Inter',
  'Roboto',
  'Open Sans',
  'Lato',
  'Montserrat',
  'Source Sans 3',
  'Noto Sans',
  'IBM Plex Sans',
  'Merriweather',
  'Playfair Display',
  'Georgia',
  'Source Serif 4',
  'JetBrains Mono',
  'Fira Code',
  'monospace',
] as const;
export const FontFamily = Type.Union(FONT_FAMILIES.map((f) => Type.Literal(f)));

const optionalColors = {
  secondary: Type.Optional(HexColor),
  accent: Type.Optional(HexColor),
  surface: Type.Optional(HexColor),
  textMuted: Type.Optional(HexColor),
  linkHover: Type.Optional(HexColor),
  border: Type.Optional(HexColor),
  headerBackground: Type.Optional(HexColor),
  headerText: Type.Optional(HexColor),
  navigationBackground: Type.Optional(HexColor),
  navigationText: Type.Optional(HexColor),
  success: Type.Optional(HexColor),
  warning: Type.Optional(HexColor),
  danger: Type.Optional(HexColor),
};

const Colors = Type.Object(
  { primary: HexColor, background: HexColor, text: HexColor, link: HexColor, ...optionalColors },
  { additionalProperties: false },
);

const Typography = Type.Object(
  {
    bodyFont: FontFamily,
    headingFont: FontFamily,
    monospaceFont: Type.Optional(FontFamily),
    baseSizePx: Type.Integer({ minimum: 12, maximum: 24 }),
    lineHeight: Type.Number({ minimum: 1, maximum: 2.5 }),
    headingWeight: Type.Union([400, 500, 600, 700, 800].map((w) => Type.Literal(w))),
  },
  { additionalProperties: false },
);

const Spacing = Type.Object(
  {
    unitPx: Type.Integer({ minimum: 2, maximum: 16, description: 'base spacing unit' }),
    contentMaxWidthPx: Type.Union([Type.Literal('full'), Type.Integer({ minimum: 600, maximum: 2400 })]),
    radiusPx: Type.Integer({ minimum: 0, maximum: 32 }),
  },
  { additionalProperties: false },
);

/** Theme tokens, version 1. */
export const ThemeTokensV1 = Type.Object(
  {
    schemaVersion: Type.Literal(1),
    colors: Colors,
    typography: Typography,
    spacing: Spacing,
    /** Overrides applied when the user's Confluence runs in dark mode. */
    dark: Type.Optional(
      Type.Object(
        {
          primary: Type.Optional(HexColor),
          background: Type.Optional(HexColor),
          text: Type.Optional(HexColor),
          link: Type.Optional(HexColor),
          ...optionalColors,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, title: 'ThemeTokensV1' },
);
export type ThemeTokensV1 = Static<typeof ThemeTokensV1>;

/** The tokens schema accepted on write (the latest version). */
export const ThemeTokens = ThemeTokensV1;
export const THEME_TOKENS_SCHEMAS = { 1: ThemeTokensV1 } as const;

/** Images of a theme by role; each is a reference to an asset of the same tenant. */
export const ThemeImages = Type.Object(
  {
    logo: Type.Optional(AssetRef),
    favicon: Type.Optional(AssetRef),
    background: Type.Optional(AssetRef),
  },
  { additionalProperties: false },
);
export type ThemeImages = Static<typeof ThemeImages>;

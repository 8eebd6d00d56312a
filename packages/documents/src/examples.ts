import type { LayoutContentV1 } from './schemas/layout-content.js';
import type { ThemeTokensV1 } from './schemas/theme-tokens.js';

/**
 * A realistic layout (intranet home: header with logo, mega-menu, three-column grid). Used by
 * tests, the benchmark and the demo data; pass asset ids to reference images.
 */
export function exampleLayoutContent(images: { logo?: string; hero?: string } = {}): LayoutContentV1 {
  return {
    schemaVersion: 1,
    header: {
      visible: true,
      height: 'regular',
      title: 'Acme Intranet',
      ...(images.logo ? { logo: { $asset: images.logo } } : {}),
      showSearch: true,
      links: [
        { label: 'Help', target: { type: 'url', url: 'https://support.example.com' }, openInNewTab: true },
        { label: 'HR', target: { type: 'space', spaceKey: 'HR' } },
      ],
    },
    navigation: {
      style: 'mega-menu',
      position: 'top',
      items: [
        {
          label: 'Company',
          children: [
            { label: 'About us', target: { type: 'page', pageId: '98305' } },
            { label: 'Offices', target: { type: 'page', pageId: '98311' } },
          ],
        },
        { label: 'Engineering', target: { type: 'space', spaceKey: 'ENG' } },
      ],
    },
    grid: { columns: 3, maxWidth: 1440 },
    blocks: [
      ...(images.hero
        ? [
            {
              id: 'hero',
              column: 1,
              type: 'image' as const,
              image: { $asset: images.hero },
              alt: 'Our campus',
            },
          ]
        : []),
      {
        id: 'welcome',
        column: 1,
        type: 'rich-text',
        body: '<p>Welcome to the <strong>Acme</strong> intranet.</p>',
      },
      { id: 'news', column: 2, type: 'recent-updates', limit: 10, spaceKeys: ['NEWS'] },
      { id: 'tree', column: 3, type: 'page-tree', rootPageId: '98305', depth: 3 },
      { id: 'search', column: 3, type: 'search', placeholder: 'Search the intranet' },
    ],
    footer: {
      text: '© Acme',
      links: [{ label: 'Imprint', target: { type: 'url', url: 'https://acme.example/imprint' } }],
    },
  };
}

/** A realistic set of theme tokens. */
export function exampleThemeTokens(primary = '#0052CC'): ThemeTokensV1 {
  return {
    schemaVersion: 1,
    colors: {
      primary,
      background: '#FFFFFF',
      text: '#172B4D',
      link: '#0065FF',
      headerBackground: '#0747A6',
      headerText: '#FFFFFF',
      border: '#DFE1E6',
    },
    typography: {
      bodyFont: 'Inter',
      headingFont: 'Montserrat',
      baseSizePx: 16,
      lineHeight: 1.5,
      headingWeight: 700,
    },
    spacing: { unitPx: 8, contentMaxWidthPx: 1280, radiusPx: 4 },
    dark: { background: '#1D2125', text: '#C7D1DB' },
  };
}

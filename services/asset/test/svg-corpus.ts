/**
 * SVG tricks that try to smuggle an external reference or active content past the sanitiser:
 * CSS split by XML comments or CDATA, entities, CSS escapes, case, unclosed functions, external
 * links, `foreignObject`, event handlers and `javascript:` in disguise. Every one must be refused.
 */
const doc = (inner: string, extra = '') =>
  `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"${extra}>${inner}</svg>`;

/** Name and document of each hostile SVG. */
export const hostileSvgs: Array<[string, string]> = [
  // CSS assembled from parts the parser reports separately.
  ['@import split by an XML comment', doc('<style>@im<!--x-->port "https://evil.example/a.css";</style>')],
  ['url( split by CDATA', doc('<style>.a{fill:u<![CDATA[rl(https://evil.example/p)]]>}</style>')],
  [
    '@import from two CDATA sections',
    doc('<style><![CDATA[@im]]><![CDATA[port "https://evil.example/a.css";]]></style>'),
  ],
  ['url( split by CDATA then text', doc('<style><![CDATA[.a{fill:u]]>rl(https://evil.example/p)}</style>')],
  ['url( split by a child element', doc('<style>.a{fill:u<g>x</g>rl(https://evil.example/p)}</style>')],
  ['url( split by an entity in <style>', doc('<style>.a{fill:u&#x72;l(https://evil.example/p)}</style>')],
  ['@import split by a CSS comment', doc('<style>@im/**/port "https://evil.example/a.css";</style>')],
  // Unclosed functions: the browser closes them at the end of the text.
  ['unclosed url( in <style>', doc('<style>.a{fill:url(https://evil.example/p</style>')],
  ['unclosed url( in fill', doc('<rect width="1" height="1" fill="url(https://evil.example/p"/>')],
  [
    'unclosed quoted url( in style',
    doc(`<rect width="1" height="1" style="fill:url('https://evil.example/p"/>`),
  ],
  // Entities and CSS escapes.
  ['entity u in style', doc('<rect width="1" height="1" style="fill:&#117;rl(https://evil.example/p)"/>')],
  [
    'entities for url in fill',
    doc('<rect width="1" height="1" fill="&#x75;&#x72;&#x6c;(https://evil.example/p)"/>'),
  ],
  ['CSS escape in style', doc('<rect width="1" height="1" style="fill:\\75 rl(https://evil.example/p)"/>')],
  ['CSS escape in fill', doc('<rect width="1" height="1" fill="\\75 rl(https://evil.example/p)"/>')],
  ['CSS escape in @import', doc('<style>@\\69mport "https://evil.example/a.css";</style>')],
  [
    'CSS comment inside url in style',
    doc('<rect width="1" height="1" style="fill:u/**/rl(https://evil.example/p)"/>'),
  ],
  // Mixed case and relatives of url().
  ['URL( upper case', doc('<rect width="1" height="1" style="fill:URL(https://evil.example/p)"/>')],
  ['@IMPORT upper case', doc("<style>@IMPORT 'https://evil.example/a.css';</style>")],
  ['url with spaces and quotes', doc('<style>.a{fill: url (  "//evil.example/p" )}</style>')],
  ['image-set()', doc('<style>.a{background:image-set("https://evil.example/p.png" 1x)}</style>')],
  [
    '-webkit-image-set()',
    doc('<style>.a{background:-webkit-image-set("https://evil.example/p.png" 1x)}</style>'),
  ],
  ['@font-face', doc('<style>@font-face{font-family:x;src:url(https://evil.example/f.woff)}</style>')],
  ['behavior', doc('<style>.a{behavior:url(x.htc)}</style>')],
  ['expression()', doc('<rect width="1" height="1" style="width:expression(alert(1))"/>')],
  ['external mask in CSS', doc('<style>.a{mask:url(//evil.example/m.svg#m)}</style>')],
  // External references.
  ['xlink:href to http', doc('<image xlink:href="http://evil.example/x.png"/>')],
  ['href to https with leading space', doc('<image href=" https://evil.example/x.png"/>')],
  ['protocol-relative href', doc('<image href="//evil.example/x.png"/>')],
  ['use of a remote file', doc('<use href="https://evil.example/s.svg#a"/>')],
  ['use of an embedded SVG', doc('<use xlink:href="data:image/svg+xml;base64,PHN2Zy8+#a"/>')],
  ['feImage to http', doc('<filter id="f"><feImage href="https://evil.example/x.png"/></filter>')],
  ['image in a pattern', doc('<pattern id="p"><image href="http://evil.example/x.png"/></pattern>')],
  ['xml-stylesheet', `<?xml version="1.0"?><?xml-stylesheet href="https://evil.example/x.css"?>${doc('')}`],
  // Active content.
  ['foreignObject', doc('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>')],
  ['foreignObject in a switch', doc('<switch><foreignObject><p>x</p></foreignObject></switch>')],
  ['script', doc('<script>alert(1)</script>')],
  ['script in another namespace', doc('<x:script xmlns:x="urn:x">alert(1)</x:script>')],
  ['onload on the root', doc('<rect width="1" height="1"/>', ' onload="alert(1)"')],
  ['ONCLICK upper case', doc('<rect width="1" height="1" ONCLICK="alert(1)"/>')],
  ['prefixed event handler', doc('<rect xmlns:e="urn:e" e:onclick="alert(1)" width="1" height="1"/>')],
  ['javascript: link', doc('<a href="javascript:alert(1)"><rect width="1" height="1"/></a>')],
  [
    'javascript: with whitespace',
    doc('<a href=" &#x09;javascript:alert(1)"><rect width="1" height="1"/></a>'),
  ],
  [
    'javascript: with a tab inside',
    doc('<a href="jav&#x09;ascript:alert(1)"><rect width="1" height="1"/></a>'),
  ],
  [
    'javascript: as entities',
    doc('<a xlink:href="&#106;avascript:alert(1)"><rect width="1" height="1"/></a>'),
  ],
  ['javascript: in CSS', doc('<rect width="1" height="1" style="fill:url(javascript:alert(1))"/>')],
  ['set-animated href', doc('<a><set attributeName="href" to="javascript:alert(1)"/></a>')],
  ['animate href', doc('<a><animate attributeName="href" values="javascript:alert(1)"/></a>')],
];

/**
 * Tricky but harmless documents that are stored, with exactly what is stored: comments and CDATA
 * are merged away, references stay inside the document.
 */
export const harmlessSvgs: Array<[string, string, string]> = [
  [
    'style split by an XML comment and CDATA',
    doc('<style>.a{fi<!--x-->ll:<![CDATA[#0052cc]]>}</style><rect class="a" width="1" height="1"/>'),
    '<svg xmlns="http://www.w3.org/2000/svg"><style>.a{fill:#0052cc}</style><rect class="a" width="1" height="1"/></svg>',
  ],
  [
    'local gradient by url(#id)',
    doc(
      '<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs><rect width="1" height="1" style="fill:URL( &quot;#g&quot; )"/>',
    ),
    '<svg xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs><rect width="1" height="1" style="fill:URL( &quot;#g&quot; )"/></svg>',
  ],
  [
    'an embedded PNG',
    doc('<image xlink:href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>'),
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/></svg>',
  ],
  [
    'text that reads like CSS',
    doc('<text>@import url(https://example.com/a.css)</text>'),
    '<svg xmlns="http://www.w3.org/2000/svg"><text>@import url(https://example.com/a.css)</text></svg>',
  ],
];

/**
 * True when `svg` (as stored) references anything outside itself as markup would load it: a
 * URL scheme or network path in an attribute, or CSS that loads. Plain text content is not markup.
 */
export function hasExternalReference(svg: string): boolean {
  // Namespace names are identifiers, not references; text content is not markup.
  const markup = svg.replace(/\sxmlns(?::\w+)?="[^"]*"/g, '').replace(/<text>[^<]*<\/text>/g, '<text/>');
  const decoded = markup
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .toLowerCase();
  const squeezed = decoded.replace(/\/\*[\s\S]*?(\*\/|$)/g, '').replace(/\s+/g, '');
  return (
    /(?:https?|javascript|ftp|file):|["'(]\/\/|@import|image-set|expression\(|\\/.test(squeezed) ||
    /url\((?!["']?#|["']?data:image\/(?:png|jpeg|gif|webp);)/.test(squeezed) ||
    /<(?:[\w-]+:)?(?:script|foreignobject)|[\s:]on[a-z]+=/.test(decoded) ||
    /href="(?!#|data:image\/(?:png|jpeg|gif|webp);)/.test(decoded)
  );
}

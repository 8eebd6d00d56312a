import { SaxesParser, type SaxesTagNS } from 'saxes';
import { AssetRejected } from './errors.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/**
 * Elements that can run code, load other documents or rewrite links: an SVG containing any of
 * them is refused outright (422 ASSET_SVG_UNSAFE) rather than silently changed.
 */
const UNSAFE_ELEMENTS = new Set([
  'script',
  'foreignObject',
  'iframe',
  'embed',
  'object',
  'handler',
  'listener',
  'set',
  'animate',
  'animateMotion',
  'animateTransform',
  'animateColor',
  'discard',
]);

/** Drawing elements that are kept; anything else (metadata, editor namespaces…) is dropped. */
const ELEMENTS = new Set([
  'svg',
  'g',
  'defs',
  'symbol',
  'use',
  'title',
  'desc',
  'switch',
  'view',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'textPath',
  'linearGradient',
  'radialGradient',
  'stop',
  'clipPath',
  'mask',
  'pattern',
  'marker',
  'image',
  'style',
  'filter',
  'feBlend',
  'feColorMatrix',
  'feComponentTransfer',
  'feComposite',
  'feConvolveMatrix',
  'feDiffuseLighting',
  'feDisplacementMap',
  'feDistantLight',
  'feDropShadow',
  'feFlood',
  'feFuncA',
  'feFuncB',
  'feFuncG',
  'feFuncR',
  'feGaussianBlur',
  'feImage',
  'feMerge',
  'feMergeNode',
  'feMorphology',
  'feOffset',
  'fePointLight',
  'feSpecularLighting',
  'feSpotLight',
  'feTile',
  'feTurbulence',
]);

/** Attributes (without namespace) that are kept; others are dropped, `on*` is refused. */
const ATTRIBUTES = new Set(
  `id class style transform viewBox preserveAspectRatio width height x y x1 y1 x2 y2 cx cy r rx ry
  d points pathLength fill fill-opacity fill-rule stroke stroke-width stroke-opacity stroke-linecap
  stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset opacity color display
  visibility overflow clip clip-path clip-rule clipPathUnits mask maskUnits maskContentUnits filter
  filterUnits primitiveUnits gradientUnits gradientTransform spreadMethod fx fy fr offset stop-color
  stop-opacity patternUnits patternContentUnits patternTransform marker-start marker-mid marker-end
  markerWidth markerHeight markerUnits refX refY orient font-family font-size font-weight font-style
  font-variant font-stretch text-anchor dominant-baseline alignment-baseline baseline-shift
  letter-spacing word-spacing text-decoration writing-mode direction unicode-bidi dx dy rotate
  textLength lengthAdjust startOffset method spacing side in in2 result stdDeviation mode type
  values operator k1 k2 k3 k4 flood-color flood-opacity lighting-color radius scale xChannelSelector
  yChannelSelector baseFrequency numOctaves seed stitchTiles tableValues slope intercept amplitude
  exponent kernelMatrix kernelUnitLength order divisor bias targetX targetY edgeMode preserveAlpha
  surfaceScale specularConstant specularExponent diffuseConstant azimuth elevation pointsAtX
  pointsAtY pointsAtZ limitingConeAngle z version mix-blend-mode isolation shape-rendering
  text-rendering color-interpolation color-interpolation-filters color-rendering image-rendering
  paint-order vector-effect role aria-label aria-labelledby aria-describedby aria-hidden lang
  focusable requiredFeatures requiredExtensions systemLanguage href`.split(/\s+/),
);

/** Raster images may be embedded as data URLs; anything else that loads a resource is refused. */
const DATA_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$/;
/**
 * CSS that loads resources, runs code or hides what it says. Matched after comments are removed,
 * so a comment cannot split a keyword away from this check (browsers would not join the halves,
 * but refusing is cheaper than proving that). A backslash is refused outright: CSS escapes
 * (`\75 rl(`) turn any keyword into another spelling, and drawings do not need them.
 */
const UNSAFE_CSS =
  /@import|@namespace|@font-face|\b(?:image-set|image|cross-fade|element|src|attr|expression)\s*\(|javascript:|vbscript:|behavior\s*:|-moz-binding|\\/i;
/** Start of a CSS `url(` function (the argument is read by {@link cssUrls}, closed or not). */
const CSS_URL_START = /url\s*\(/gi;
/** Attributes that are never parsed as CSS (labels may hold any text, backslashes included). */
const NOT_CSS = /^(?:id|class|role|lang|aria-.*|systemLanguage|requiredFeatures|requiredExtensions)$/;
const MAX_DEPTH = 256;

/** A sanitised SVG: the re-serialised document and its intrinsic size when it has one. */
export interface SvgResult {
  output: Buffer;
  width: number | null;
  height: number | null;
}

/**
 * Parses an SVG strictly (well-formed XML, no DTD internal subset, so no entity expansion) and
 * re-serialises it from an allow-list of elements and attributes. Active content (scripts, event
 * handlers, `foreignObject`, animations that can rewrite links, references to anything but the
 * document itself or embedded raster data, CSS `@import`/external `url()`) makes the upload fail
 * with ASSET_SVG_UNSAFE; inert extras (comments, metadata, editor attributes) are dropped.
 *
 * Checks look at what is written, never at the pieces the parser reports: a `<style>` is checked
 * as the one text it becomes once comments are dropped and CDATA is merged, so
 * `@im<!--x-->port` is an `@import`. The written document is then parsed and sanitised again and
 * must come out clean and unchanged, so no joining of parts can create what the first pass
 * did not see.
 */
export function sanitizeSvg(bytes: Buffer): SvgResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new AssetRejected('ASSET_MALFORMED', 'SVG is not valid UTF-8');
  }
  const first = serialize(text);
  refuseUnsafe(first.unsafe);
  const second = serialize(first.output);
  refuseUnsafe(second.unsafe);
  if (second.output !== first.output) {
    throw new AssetRejected('ASSET_SVG_UNSAFE', 'SVG changes meaning when it is written out again');
  }
  const [width, height] = intrinsicSize(first.root);
  return { output: Buffer.from(first.output, 'utf8'), width, height };
}

function refuseUnsafe(unsafe: string[]): void {
  if (unsafe.length === 0) return;
  throw new AssetRejected(
    'ASSET_SVG_UNSAFE',
    `SVG contains active or external content: ${unsafe.join('; ')}`,
    {
      found: unsafe,
    },
  );
}

/** One pass: the allow-listed document as text, and what was found unsafe in it. */
function serialize(text: string): { output: string; unsafe: string[]; root: SaxesTagNS } {
  const unsafe: string[] = [];
  const flag = (what: string) => {
    if (unsafe.length < 10 && !unsafe.includes(what)) unsafe.push(what);
  };
  const out: string[] = [];
  // Stack entry: 'keep' (written), 'unwrap' (children kept, tag dropped), 'drop' (subtree dropped).
  const stack: Array<'keep' | 'unwrap' | 'drop'> = [];
  let pendingOpen = false;
  let root: SaxesTagNS | undefined;
  // The text of the open <style>, gathered from every text and CDATA part of it.
  let style: string[] | undefined;

  const closePending = () => {
    if (pendingOpen) out.push('>');
    pendingOpen = false;
  };
  const dropping = () => stack.includes('drop');

  const parser = new SaxesParser({ xmlns: true });
  parser.on('doctype', (doctype) => {
    if (doctype.includes('[')) flag('DOCTYPE with an internal subset (entities)');
  });
  parser.on('processinginstruction', (pi) => {
    if (pi.target.toLowerCase() === 'xml-stylesheet') flag('xml-stylesheet processing instruction');
  });
  parser.on('opentag', (tag) => {
    if (!root) {
      root = tag;
      if (tag.uri !== SVG_NS || tag.local !== 'svg') {
        throw new AssetRejected('ASSET_TYPE_UNKNOWN', 'the document is XML but not an SVG image');
      }
    }
    if (stack.length >= MAX_DEPTH) throw new AssetRejected('ASSET_MALFORMED', 'SVG nesting is too deep');
    const svg = tag.uri === SVG_NS;
    if (svg && UNSAFE_ELEMENTS.has(tag.local)) flag(`<${tag.local}> element`);
    if (!svg && (tag.local === 'script' || tag.uri === 'http://www.w3.org/1999/xhtml'))
      flag(`<${tag.name}> element`);
    const attrs = safeAttributes(tag, flag);
    // A <style> is text only: an element inside it is dropped with its content.
    if (dropping() || style) {
      stack.push('drop');
      return;
    }
    if (svg && tag.local === 'a') {
      stack.push('unwrap');
      return;
    }
    if (!svg || !ELEMENTS.has(tag.local)) {
      stack.push('drop');
      return;
    }
    closePending();
    const ns = stack.length === 0 ? ` xmlns="${SVG_NS}"` : '';
    out.push(`<${tag.local}${ns}${attrs}`);
    pendingOpen = true;
    if (tag.local === 'style') style = [];
    stack.push('keep');
  });
  parser.on('closetag', (tag) => {
    const mode = stack.pop();
    if (mode !== 'keep') return;
    if (style && tag.local === 'style') {
      const css = style.join('');
      style = undefined;
      checkCss(css, flag);
      if (css !== '') {
        closePending();
        out.push(escapeText(css));
      }
    }
    if (pendingOpen) {
      out.push('/>');
      pendingOpen = false;
    } else {
      out.push(`</${tag.local}>`);
    }
  });
  const onText = (value: string) => {
    if (stack.length === 0 || dropping()) return;
    if (style) {
      style.push(value);
      return;
    }
    closePending();
    out.push(escapeText(value));
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (err) => {
    throw err instanceof AssetRejected
      ? err
      : new AssetRejected('ASSET_MALFORMED', `SVG is not well-formed XML: ${err.message}`);
  });
  parser.write(text).close();
  if (!root) throw new AssetRejected('ASSET_TYPE_UNKNOWN', 'no SVG root element');
  return { output: out.join(''), unsafe, root };
}

/** Serialises the kept attributes of a tag, flagging dangerous ones. */
function safeAttributes(tag: SaxesTagNS, flag: (what: string) => void): string {
  let result = '';
  for (const attr of Object.values(tag.attributes)) {
    const { local, uri, value } = attr;
    if (attr.prefix === 'xmlns' || attr.name === 'xmlns') continue;
    if (/^on/i.test(local)) {
      flag(`event handler ${attr.name}`);
      continue;
    }
    const isHref = local === 'href' && (uri === '' || uri === XLINK_NS);
    if (isHref) {
      const v = value.trim();
      if (v.startsWith('#')) result += ` href="${escapeAttr(v)}"`;
      else if ((tag.local === 'image' || tag.local === 'feImage') && DATA_IMAGE.test(v))
        result += ` href="${escapeAttr(v)}"`;
      else flag(`external reference ${attr.name}="${v.slice(0, 60)}"`);
      continue;
    }
    if (uri === XML_NS && (local === 'space' || local === 'lang')) {
      result += ` xml:${local}="${escapeAttr(value)}"`;
    } else if (uri === '' && ATTRIBUTES.has(local)) {
      // Presentation attributes are parsed as CSS values, so every kept one is checked as CSS.
      if (!NOT_CSS.test(local)) checkCss(value, flag);
      result += ` ${local}="${escapeAttr(value)}"`;
    } else if (/url\s*\(/i.test(value)) {
      // Dropped anyway; refused because nothing legitimate points outside the document.
      checkCss(value, flag);
    }
  }
  return result;
}

/** Flags CSS that imports, escapes, runs code or references anything outside the document. */
function checkCss(css: string, flag: (what: string) => void): void {
  // An unclosed comment runs to the end (CSS Syntax §4.3.2), so it is removed to the end too.
  const plain = css.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, '');
  for (const candidate of css === plain ? [css] : [css, plain]) {
    if (UNSAFE_CSS.test(candidate)) flag('CSS that imports, escapes or runs code');
    for (const target of cssUrls(candidate)) {
      if (!target.startsWith('#') && !DATA_IMAGE.test(target)) flag(`CSS url(${target.slice(0, 60)})`);
    }
  }
}

/**
 * The arguments of every `url(` in `css`, read the way a browser reads them: quoted up to the
 * closing quote, unquoted up to `)`, and an unclosed one up to the end of the text (CSS Syntax
 * §4.3.6 closes it at EOF, so `fill:url(https://x` does load).
 */
function cssUrls(css: string): string[] {
  const targets: string[] = [];
  for (const match of css.matchAll(CSS_URL_START)) {
    let rest = css.slice(match.index + match[0].length).trimStart();
    const quote = rest[0] === '"' || rest[0] === "'" ? rest[0] : undefined;
    if (quote) {
      rest = rest.slice(1);
      const end = rest.indexOf(quote);
      targets.push((end < 0 ? rest : rest.slice(0, end)).trim());
    } else {
      const end = rest.indexOf(')');
      targets.push((end < 0 ? rest : rest.slice(0, end)).trim());
    }
  }
  return targets;
}

function intrinsicSize(root: SaxesTagNS): [number | null, number | null] {
  const length = (name: string) => {
    const v = root.attributes[name];
    const m = v && v.uri === '' ? /^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$/.exec(v.value) : null;
    return m ? Math.round(Number(m[1])) : null;
  };
  let width = length('width');
  let height = length('height');
  const viewBox = root.attributes.viewBox?.value
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  if (viewBox?.length === 4 && viewBox.every(Number.isFinite)) {
    width ??= Math.round(viewBox[2]!);
    height ??= Math.round(viewBox[3]!);
  }
  return [width, height];
}

// Carriage returns and tabs are written as references: XML parsing would normalise the raw
// characters, and the second pass must read exactly what the first one meant.
const escapeText = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
const escapeAttr = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');

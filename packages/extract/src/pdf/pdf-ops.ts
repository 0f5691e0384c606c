import type { HiddenReason } from '../types';

/** A run of glyphs on one baseline with one style, in PDF user space (origin bottom-left). */
export interface Segment {
  text: string;
  x0: number;
  x1: number;
  /** Baseline. */
  y: number;
  /** Font size on the page, in points. */
  size: number;
  hidden: HiddenReason | null;
}

type Matrix = [number, number, number, number, number, number];
type Rgb = [number, number, number];

interface GraphicsState {
  ctm: Matrix;
  /** null when the paint is a pattern or unknown: treated as visible. */
  fill: Rgb | null;
  stroke: Rgb | null;
  fillAlpha: number;
  strokeAlpha: number;
  fontSize: number;
  charSpacing: number;
  wordSpacing: number;
  hScale: number;
  leading: number;
  rise: number;
  renderMode: number;
}

interface Glyph {
  unicode: string;
  width: number;
  isSpace: boolean;
}

/** Operator codes we read, looked up by name from pdf.js's OPS table. */
export type OpCodes = Record<string, number>;

/** What an operator means to the walk below; pdf.js codes are mapped to these once per table. */
enum Kind {
  Other,
  Save,
  Restore,
  Transform,
  FormBegin,
  FormEnd,
  FillRgb,
  StrokeRgb,
  FillUnknown,
  StrokeUnknown,
  GState,
  Path,
  BeginText,
  SetFont,
  CharSpacing,
  WordSpacing,
  HScale,
  Leading,
  Rise,
  RenderMode,
  TextMatrix,
  MoveText,
  LeadingMoveText,
  NextLine,
  ShowText,
  NextLineShowText,
  NextLineSpacingShowText,
}

const KIND_OF_OP: [string, Kind][] = [
  ['save', Kind.Save],
  ['restore', Kind.Restore],
  ['transform', Kind.Transform],
  ['paintFormXObjectBegin', Kind.FormBegin],
  ['paintFormXObjectEnd', Kind.FormEnd],
  ['setFillRGBColor', Kind.FillRgb],
  ['setStrokeRGBColor', Kind.StrokeRgb],
  ['setFillColorN', Kind.FillUnknown],
  ['setFillTransparent', Kind.FillUnknown],
  ['setStrokeColorN', Kind.StrokeUnknown],
  ['setStrokeTransparent', Kind.StrokeUnknown],
  ['setGState', Kind.GState],
  ['constructPath', Kind.Path],
  ['beginText', Kind.BeginText],
  ['setFont', Kind.SetFont],
  ['setCharSpacing', Kind.CharSpacing],
  ['setWordSpacing', Kind.WordSpacing],
  ['setHScale', Kind.HScale],
  ['setLeading', Kind.Leading],
  ['setTextRise', Kind.Rise],
  ['setTextRenderingMode', Kind.RenderMode],
  ['setTextMatrix', Kind.TextMatrix],
  ['moveText', Kind.MoveText],
  ['setLeadingMoveText', Kind.LeadingMoveText],
  ['nextLine', Kind.NextLine],
  ['showText', Kind.ShowText],
  ['showSpacedText', Kind.ShowText],
  ['nextLineShowText', Kind.NextLineShowText],
  ['nextLineSetSpacingShowText', Kind.NextLineSpacingShowText],
];

const kindTables = new WeakMap<OpCodes, Uint8Array>();

/** pdf.js's OPS is a large dictionary: one lookup table per operator instead of ~30 lookups. */
function kindTable(ops: OpCodes): Uint8Array {
  let table = kindTables.get(ops);
  if (!table) {
    table = new Uint8Array(Math.max(0, ...Object.values(ops)) + 1);
    for (const [name, kind] of KIND_OF_OP) if (ops[name] !== undefined) table[ops[name]] = kind;
    kindTables.set(ops, table);
  }
  return table;
}

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
const WHITE: Rgb = [1, 1, 1];
/** Below this size in points text is unreadable on screen and on paper. */
const TINY_POINTS = 2.5;
/** Largest per-channel difference (0..1) at which text melts into its background. */
const SAME_COLOUR = 0.12;

const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];

const apply = (m: Matrix, x: number, y: number): [number, number] => [
  x * m[0] + y * m[2] + m[4],
  x * m[1] + y * m[3] + m[5],
];

function toMatrix(args: unknown[]): Matrix {
  const source = args.length === 1 ? Array.from(args[0] as ArrayLike<number>) : (args as number[]);
  return [0, 1, 2, 3, 4, 5].map((i) => Number(source[i] ?? IDENTITY[i])) as Matrix;
}

function toRgb(args: unknown[]): Rgb | null {
  const first = args[0];
  if (typeof first === 'string' && /^#[0-9a-f]{6}$/i.test(first)) {
    const n = parseInt(first.slice(1), 16);
    return [(n >> 16) / 255, ((n >> 8) & 0xff) / 255, (n & 0xff) / 255];
  }
  if (args.length >= 3 && args.slice(0, 3).every((v) => typeof v === 'number'))
    return (args.slice(0, 3) as number[]).map((v) => (v > 1 ? v / 255 : v)) as Rgb;
  return null;
}

const colourDistance = (a: Rgb, b: Rgb) =>
  Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2]));

interface FilledBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  colour: Rgb;
}

/**
 * Walks one page's operator list (pdf.js `getOperatorList()`), tracking the graphics and text
 * state the way a renderer would, and returns the page's text as segments with each one's
 * position, size and — because pdf.js's text content API has no colours — whether a reader can
 * see it (colour against what was painted under it, opacity, render mode, size, page bounds).
 */
export function pageSegments(
  operatorList: { fnArray: number[]; argsArray: unknown[][] },
  ops: OpCodes,
  view: number[],
): Segment[] {
  const [pageX0 = 0, pageY0 = 0, pageX1 = 612, pageY1 = 792] = view;
  const stack: GraphicsState[] = [];
  let gs: GraphicsState = {
    ctm: IDENTITY,
    fill: [0, 0, 0],
    stroke: [0, 0, 0],
    fillAlpha: 1,
    strokeAlpha: 1,
    fontSize: 0,
    charSpacing: 0,
    wordSpacing: 0,
    hScale: 1,
    leading: 0,
    rise: 0,
    renderMode: 0,
  };
  let tm: Matrix = IDENTITY;
  let lm: Matrix = IDENTITY;
  const boxes: FilledBox[] = [];
  /** The distinct colours of `boxes` (pages repeat a few colours over many boxes). */
  const boxColours: Rgb[] = [];
  const segments: Segment[] = [];
  let current: Segment | null = null;

  const background = (x: number, y: number): Rgb => {
    for (let i = boxes.length - 1; i >= 0; i--) {
      const b = boxes[i]!;
      if (x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1) return b.colour;
    }
    return WHITE;
  };

  /** What hides a whole text run regardless of where its glyphs land (checked once per run). */
  const styleHidden = (size: number): HiddenReason | null => {
    if (gs.renderMode === 3 || gs.renderMode === 7) return 'invisible-render-mode';
    const alpha = (gs.renderMode & 3) === 1 ? gs.strokeAlpha : gs.fillAlpha;
    if (alpha < 0.05) return 'transparent';
    if (size < TINY_POINTS) return 'tiny-font';
    return null;
  };

  /** The run's paint colour when something on the page has a colour close to it, else null. */
  const colourAtRisk = (): Rgb | null => {
    const colour = (gs.renderMode & 3) === 1 ? gs.stroke : gs.fill;
    if (!colour) return null;
    if (colourDistance(colour, WHITE) < SAME_COLOUR) return colour;
    return boxColours.some((box) => colourDistance(box, colour) < SAME_COLOUR) ? colour : null;
  };

  let runStyle: HiddenReason | null = null;
  let runColour: Rgb | null = null;
  // The run checks depend only on the graphics state, the painted boxes and the size: they are
  // redone when an operator other than text positioning/showing ran, or the size changed.
  let styleVersion = 0;
  let checkedVersion = -1;
  let checkedSize = -1;

  const hiddenReason = (x: number, y: number, width: number, size: number): HiddenReason | null => {
    if (runStyle) return runStyle;
    if (x > pageX1 || x + width < pageX0 || y > pageY1 || y + size < pageY0) return 'off-page';
    if (runColour && colourDistance(runColour, background(x, y + size / 3)) < SAME_COLOUR)
      return 'background-colour';
    return null;
  };

  /** Whether `current.text` ends with a space (kept here: endsWith would flatten the string). */
  let currentEndsWithSpace = false;

  const emit = (ch: string, x: number, y: number, width: number, size: number) => {
    const blank = ch === ' ' || ch.trim() === '';
    const hidden = blank && current ? current.hidden : hiddenReason(x, y, width, size);
    const seg: Segment | null = current;
    if (seg && seg.hidden === hidden && Math.abs(seg.y - y) <= size * 0.3) {
      const gap = x - seg.x1;
      if (gap > -size * 0.5 && gap <= size) {
        if (gap > size * 0.15 && !currentEndsWithSpace && ch !== ' ') seg.text += ' ';
        seg.text += ch;
        currentEndsWithSpace = ch.endsWith(' ');
        seg.x1 = Math.max(seg.x1, x + width);
        seg.size = Math.max(seg.size, size);
        return;
      }
    }
    if (blank) return; // a segment never starts with a space
    current = { text: ch, x0: x, x1: x + width, y, size, hidden };
    currentEndsWithSpace = ch.endsWith(' ');
    segments.push(current);
  };

  const showText = (glyphs: unknown) => {
    if (!Array.isArray(glyphs)) return;
    // Hot loop (one pass per glyph): plain numbers instead of matrix objects.
    const [c0, c1, c2, c3, c4, c5] = gs.ctm;
    const [a, b, c, d] = tm;
    // The scale of text space on the page (tm x ctm without the translation).
    const r0 = a * c0 + b * c2;
    const r1 = a * c1 + b * c3;
    const r2 = c * c0 + d * c2;
    const r3 = c * c1 + d * c3;
    const scaleX = Math.sqrt(r0 * r0 + r1 * r1);
    const size = Math.abs(gs.fontSize) * Math.sqrt(r2 * r2 + r3 * r3);
    let e = tm[4];
    let f = tm[5];
    const { fontSize, hScale, charSpacing, wordSpacing, rise } = gs;
    if (checkedVersion !== styleVersion || checkedSize !== size) {
      runStyle = styleHidden(size);
      runColour = runStyle ? null : colourAtRisk();
      checkedVersion = styleVersion;
      checkedSize = size;
    }
    for (const glyph of glyphs as (Glyph | number | null)[]) {
      let advance: number;
      if (typeof glyph === 'number') {
        advance = (-glyph / 1000) * fontSize * hScale;
      } else if (glyph) {
        const width = (glyph.width / 1000) * fontSize;
        advance = (width + charSpacing + (glyph.isSpace ? wordSpacing : 0)) * hScale;
        const tx = rise * c + e;
        const ty = rise * d + f;
        emit(
          glyph.unicode,
          tx * c0 + ty * c2 + c4,
          tx * c1 + ty * c3 + c5,
          Math.abs(width * hScale * scaleX),
          size,
        );
      } else continue;
      e += advance * a;
      f += advance * b;
    }
    tm = [a, b, c, d, e, f];
  };

  // Many PDFs place every glyph with its own move and show: these two run once per glyph.
  const moveText = (tx: number, ty: number) => {
    lm = [
      lm[0],
      lm[1],
      lm[2],
      lm[3],
      tx * lm[0] + ty * lm[2] + lm[4],
      tx * lm[1] + ty * lm[3] + lm[5],
    ];
    tm = lm;
  };

  const { fnArray, argsArray } = operatorList;
  const kinds = kindTable(ops);
  const fills = new Set(
    [
      ops.fill,
      ops.eoFill,
      ops.fillStroke,
      ops.eoFillStroke,
      ops.closeFillStroke,
      ops.closeEOFillStroke,
    ].filter((op) => op !== undefined),
  );
  for (let i = 0; i < fnArray.length; i++) {
    const kind = kinds[fnArray[i]!] ?? Kind.Other;
    if (kind === Kind.Other) continue;
    // Kinds before BeginText change what is painted or how; so does the text render mode.
    if (kind < Kind.BeginText || kind === Kind.RenderMode) styleVersion++;
    const args = (argsArray[i] ?? []) as unknown[];
    switch (kind) {
      case Kind.Save:
        stack.push({ ...gs });
        break;
      case Kind.Restore:
        gs = stack.pop() ?? gs;
        break;
      case Kind.Transform:
        gs.ctm = multiply(toMatrix(args), gs.ctm);
        break;
      case Kind.FormBegin:
        stack.push({ ...gs });
        if (args[0]) gs.ctm = multiply(toMatrix([args[0]]), gs.ctm);
        break;
      case Kind.FormEnd:
        gs = stack.pop() ?? gs;
        break;
      case Kind.FillRgb:
        gs.fill = toRgb(args);
        break;
      case Kind.StrokeRgb:
        gs.stroke = toRgb(args);
        break;
      case Kind.FillUnknown:
        gs.fill = null;
        break;
      case Kind.StrokeUnknown:
        gs.stroke = null;
        break;
      case Kind.GState:
        for (const entry of (args[0] ?? []) as [string, unknown][]) {
          if (entry[0] === 'ca' && typeof entry[1] === 'number') gs.fillAlpha = entry[1];
          if (entry[0] === 'CA' && typeof entry[1] === 'number') gs.strokeAlpha = entry[1];
        }
        break;
      case Kind.Path: {
        const paint = args[0];
        const minMax = args[2] as ArrayLike<number> | null | undefined;
        if (fills.has(paint as number) && minMax && gs.fill && gs.fillAlpha > 0.5) {
          const [ax, ay] = apply(gs.ctm, minMax[0]!, minMax[1]!);
          const [bx, by] = apply(gs.ctm, minMax[2]!, minMax[3]!);
          boxes.push({
            x0: Math.min(ax, bx),
            y0: Math.min(ay, by),
            x1: Math.max(ax, bx),
            y1: Math.max(ay, by),
            colour: gs.fill,
          });
          const fill = gs.fill;
          if (!boxColours.some((c) => c[0] === fill[0] && c[1] === fill[1] && c[2] === fill[2]))
            boxColours.push(fill);
        }
        break;
      }
      case Kind.BeginText:
        tm = IDENTITY;
        lm = IDENTITY;
        break;
      case Kind.SetFont:
        gs.fontSize = Number(args[1] ?? 0);
        break;
      case Kind.CharSpacing:
        gs.charSpacing = Number(args[0] ?? 0);
        break;
      case Kind.WordSpacing:
        gs.wordSpacing = Number(args[0] ?? 0);
        break;
      case Kind.HScale:
        gs.hScale = Number(args[0] ?? 100) / 100;
        break;
      case Kind.Leading:
        gs.leading = Number(args[0] ?? 0);
        break;
      case Kind.Rise:
        gs.rise = Number(args[0] ?? 0);
        break;
      case Kind.RenderMode:
        gs.renderMode = Number(args[0] ?? 0);
        break;
      case Kind.TextMatrix:
        tm = toMatrix(args);
        lm = tm;
        break;
      case Kind.MoveText:
        moveText(Number(args[0]), Number(args[1]));
        break;
      case Kind.LeadingMoveText:
        gs.leading = -Number(args[1]);
        moveText(Number(args[0]), Number(args[1]));
        break;
      case Kind.NextLine:
        moveText(0, -gs.leading);
        break;
      case Kind.ShowText:
        showText(args[0]);
        break;
      case Kind.NextLineShowText:
        moveText(0, -gs.leading);
        showText(args[0]);
        break;
      case Kind.NextLineSpacingShowText:
        gs.wordSpacing = Number(args[0] ?? 0);
        gs.charSpacing = Number(args[1] ?? 0);
        moveText(0, -gs.leading);
        showText(args[2]);
        break;
      default:
        break;
    }
  }
  for (const seg of segments) seg.text = seg.text.trimEnd();
  return segments;
}

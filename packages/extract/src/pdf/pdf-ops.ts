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
    return boxes.some((box) => colourDistance(box.colour, colour) < SAME_COLOUR) ? colour : null;
  };

  let runStyle: HiddenReason | null = null;
  let runColour: Rgb | null = null;

  const hiddenReason = (x: number, y: number, width: number, size: number): HiddenReason | null => {
    if (runStyle) return runStyle;
    if (x > pageX1 || x + width < pageX0 || y > pageY1 || y + size < pageY0) return 'off-page';
    if (runColour && colourDistance(runColour, background(x, y + size / 3)) < SAME_COLOUR)
      return 'background-colour';
    return null;
  };

  const emit = (ch: string, x: number, y: number, width: number, size: number) => {
    const hidden = ch.trim() === '' && current ? current.hidden : hiddenReason(x, y, width, size);
    const seg: Segment | null = current;
    if (seg && seg.hidden === hidden && Math.abs(seg.y - y) <= size * 0.3) {
      const gap = x - seg.x1;
      if (gap > -size * 0.5 && gap <= size) {
        if (gap > size * 0.15 && !seg.text.endsWith(' ') && ch !== ' ') seg.text += ' ';
        seg.text += ch;
        seg.x1 = Math.max(seg.x1, x + width);
        seg.size = Math.max(seg.size, size);
        return;
      }
    }
    if (ch.trim() === '') return; // a segment never starts with a space
    current = { text: ch, x0: x, x1: x + width, y, size, hidden };
    segments.push(current);
  };

  const showText = (glyphs: unknown) => {
    if (!Array.isArray(glyphs)) return;
    // Hot loop (one pass per glyph): plain numbers instead of matrix objects.
    const rendering = multiply(tm, gs.ctm);
    const scaleX = Math.hypot(rendering[0], rendering[1]);
    const size = Math.abs(gs.fontSize) * Math.hypot(rendering[2], rendering[3]);
    const [c0, c1, c2, c3, c4, c5] = gs.ctm;
    const [a, b, c, d] = tm;
    let e = tm[4];
    let f = tm[5];
    const { fontSize, hScale, charSpacing, wordSpacing, rise } = gs;
    runStyle = styleHidden(size);
    runColour = runStyle ? null : colourAtRisk();
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

  const moveText = (tx: number, ty: number) => {
    lm = multiply([1, 0, 0, 1, tx, ty], lm);
    tm = lm;
  };

  const { fnArray, argsArray } = operatorList;
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = (argsArray[i] ?? []) as unknown[];
    switch (fn) {
      case ops.save:
        stack.push({ ...gs });
        break;
      case ops.restore:
        gs = stack.pop() ?? gs;
        break;
      case ops.transform:
        gs.ctm = multiply(toMatrix(args), gs.ctm);
        break;
      case ops.paintFormXObjectBegin:
        stack.push({ ...gs });
        if (args[0]) gs.ctm = multiply(toMatrix([args[0]]), gs.ctm);
        break;
      case ops.paintFormXObjectEnd:
        gs = stack.pop() ?? gs;
        break;
      case ops.setFillRGBColor:
        gs.fill = toRgb(args);
        break;
      case ops.setStrokeRGBColor:
        gs.stroke = toRgb(args);
        break;
      case ops.setFillColorN:
      case ops.setFillTransparent:
        gs.fill = null;
        break;
      case ops.setStrokeColorN:
      case ops.setStrokeTransparent:
        gs.stroke = null;
        break;
      case ops.setGState:
        for (const entry of (args[0] ?? []) as [string, unknown][]) {
          if (entry[0] === 'ca' && typeof entry[1] === 'number') gs.fillAlpha = entry[1];
          if (entry[0] === 'CA' && typeof entry[1] === 'number') gs.strokeAlpha = entry[1];
        }
        break;
      case ops.constructPath: {
        const paint = args[0];
        const fills = [
          ops.fill,
          ops.eoFill,
          ops.fillStroke,
          ops.eoFillStroke,
          ops.closeFillStroke,
          ops.closeEOFillStroke,
        ];
        const minMax = args[2] as ArrayLike<number> | null | undefined;
        if (fills.includes(paint as number) && minMax && gs.fill && gs.fillAlpha > 0.5) {
          const [ax, ay] = apply(gs.ctm, minMax[0]!, minMax[1]!);
          const [bx, by] = apply(gs.ctm, minMax[2]!, minMax[3]!);
          boxes.push({
            x0: Math.min(ax, bx),
            y0: Math.min(ay, by),
            x1: Math.max(ax, bx),
            y1: Math.max(ay, by),
            colour: gs.fill,
          });
        }
        break;
      }
      case ops.beginText:
        tm = IDENTITY;
        lm = IDENTITY;
        break;
      case ops.setFont:
        gs.fontSize = Number(args[1] ?? 0);
        break;
      case ops.setCharSpacing:
        gs.charSpacing = Number(args[0] ?? 0);
        break;
      case ops.setWordSpacing:
        gs.wordSpacing = Number(args[0] ?? 0);
        break;
      case ops.setHScale:
        gs.hScale = Number(args[0] ?? 100) / 100;
        break;
      case ops.setLeading:
        gs.leading = Number(args[0] ?? 0);
        break;
      case ops.setTextRise:
        gs.rise = Number(args[0] ?? 0);
        break;
      case ops.setTextRenderingMode:
        gs.renderMode = Number(args[0] ?? 0);
        break;
      case ops.setTextMatrix:
        tm = toMatrix(args);
        lm = tm;
        break;
      case ops.moveText:
        moveText(Number(args[0]), Number(args[1]));
        break;
      case ops.setLeadingMoveText:
        gs.leading = -Number(args[1]);
        moveText(Number(args[0]), Number(args[1]));
        break;
      case ops.nextLine:
        moveText(0, -gs.leading);
        break;
      case ops.showText:
      case ops.showSpacedText:
        showText(args[0]);
        break;
      case ops.nextLineShowText:
        moveText(0, -gs.leading);
        showText(args[0]);
        break;
      case ops.nextLineSetSpacingShowText:
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

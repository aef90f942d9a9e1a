/**
 * Map offsets inside a scalar's *value* back to offsets in the rules file.
 *
 * A condition is read from a YAML scalar, so the text the condition parser sees is not the text in
 * the file: quoted scalars lose their quotes and escapes, plain and folded scalars turn line breaks
 * into spaces, block scalars lose their indentation. The mapping walks the value and the source side
 * by side, skipping what YAML removed (blanks, line breaks, quote characters, escape backslashes).
 * When the walk cannot explain a character the mapping gives up and every offset maps to the start
 * of the scalar, which is still the right line for a diagnostic.
 */
import type { Scalar } from 'yaml';
import type { SourceText, Span } from '../../diagnostics/index.js';

/** A scalar's value with the place it came from. */
export interface TextNode {
  text: string;
  /** The scalar in the file (quotes and block header included). */
  span: Span;
  /** Lazily computed: file offset of each value offset (length text.length + 1). */
  offsets?: number[] | null;
  style: string;
}

export function textNodeFromScalar(source: SourceText, node: Scalar, text: string): TextNode {
  const [start, end] = node.range ?? [0, 0];
  return { text, span: { source, start, end }, style: String(node.type ?? 'PLAIN') };
}

/** A text that has no place of its own (e.g. synthesised); all offsets map to `span.start`. */
export function syntheticTextNode(text: string, span: Span): TextNode {
  return { text, span, style: 'SYNTHETIC', offsets: null };
}

/** File offset of value offset `i` of `node` (clamped to the value). */
export function fileOffset(node: TextNode, i: number): number {
  if (node.offsets === undefined) node.offsets = alignValueWithSource(node);
  if (node.offsets === null) return node.span.start;
  const clamped = Math.max(0, Math.min(i, node.offsets.length - 1));
  return node.offsets[clamped]!;
}

const BLANKS = new Set([' ', '\t', '\n', '\r']);

function alignValueWithSource(node: TextNode): number[] | null {
  const src = node.span.source.text;
  const end = node.span.end;
  let p = node.span.start;
  const isBlock = node.style === 'BLOCK_LITERAL' || node.style === 'BLOCK_FOLDED';
  const quote = node.style === 'QUOTE_DOUBLE' ? '"' : node.style === 'QUOTE_SINGLE' ? "'" : '';
  if (isBlock) {
    // The header line (`|-`, `>2 # comment`) holds no value characters.
    const nl = src.indexOf('\n', p);
    if (nl < 0 || nl >= end) return null;
    p = nl + 1;
  } else if (quote) {
    p += 1;
  }
  const offsets: number[] = [];
  const value = node.text;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    for (;;) {
      if (p >= end) return null;
      const s = src[p]!;
      if (s === c) break;
      if (quote === '"' && s === '\\') {
        const width = escapeWidth(src, p);
        if (width > 0 && decodeEscape(src, p) === c) break;
      }
      // Folding turns a line break (and the indentation after it) into one space.
      if (c === ' ' && (s === '\n' || s === '\r')) break;
      if (BLANKS.has(s) || s === quote || (quote === '"' && s === '\\')) {
        p++;
        continue;
      }
      return null;
    }
    offsets.push(p);
    p += quote === '"' && src[p] === '\\' && src[p] !== c ? escapeWidth(src, p) : 1;
    if (quote === "'" && c === "'" && src[p] === "'") p++;
  }
  // The end of a value that ends with a line break is the end of its last line, not the next line.
  const last = offsets[offsets.length - 1];
  offsets.push(value.endsWith('\n') && last !== undefined ? last : Math.min(p, end));
  return offsets;
}

function escapeWidth(src: string, p: number): number {
  const e = src[p + 1];
  if (e === 'x') return 4;
  if (e === 'u') return 6;
  if (e === 'U') return 10;
  if (e === '\n') return 2;
  return e === undefined ? 0 : 2;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};

function decodeEscape(src: string, p: number): string | undefined {
  const e = src[p + 1];
  if (e === undefined) return undefined;
  if (e === 'x' || e === 'u' || e === 'U') {
    const hex = src.slice(p + 2, p + escapeWidth(src, p));
    const code = Number.parseInt(hex, 16);
    return Number.isNaN(code) ? undefined : String.fromCodePoint(code);
  }
  return SIMPLE_ESCAPES[e];
}

/**
 * A text assembled from pieces of several scalars (a condition with appended parts, an exceptions
 * rewrite). Each piece remembers where its characters came from.
 */
export interface MappedText {
  text: string;
  pieces: { at: number; node: TextNode }[];
  /** Where to point when an offset falls outside every piece (e.g. inside text we generated). */
  fallback: Span;
}

export function mappedFromNode(node: TextNode): MappedText {
  return { text: node.text, pieces: [{ at: 0, node }], fallback: node.span };
}

/** Builds a MappedText by appending generated text and scalar pieces. */
export class MappedTextBuilder {
  private text = '';
  private readonly pieces: { at: number; node: TextNode }[] = [];

  constructor(private readonly fallback: Span) {}

  literal(s: string): this {
    this.text += s;
    return this;
  }

  node(node: TextNode): this {
    this.pieces.push({ at: this.text.length, node });
    this.text += node.text;
    return this;
  }

  mapped(m: MappedText): this {
    for (const piece of m.pieces) this.pieces.push({ at: this.text.length + piece.at, node: piece.node });
    this.text += m.text;
    return this;
  }

  build(): MappedText {
    return { text: this.text, pieces: this.pieces.slice(), fallback: this.fallback };
  }
}

/** The file span of offset range [start, end) of a mapped text. */
export function spanOf(m: MappedText, start: number, end = start): Span {
  const piece = pieceAt(m, start);
  if (!piece) return { ...m.fallback, end: m.fallback.start };
  const from = fileOffset(piece.node, start - piece.at);
  const to = Math.max(from, fileOffset(piece.node, Math.min(end, piece.at + piece.node.text.length) - piece.at));
  return { source: piece.node.span.source, start: from, end: to };
}

/** True when `offset` maps to its own character in the file (not to a scalar's start as a fallback). */
export function isExactlyMapped(m: MappedText, offset: number): boolean {
  const piece = pieceAt(m, offset);
  if (!piece || offset < piece.at || offset > piece.at + piece.node.text.length) return false;
  if (piece.node.offsets === undefined) fileOffset(piece.node, 0);
  return Array.isArray(piece.node.offsets);
}

function pieceAt(m: MappedText, offset: number): { at: number; node: TextNode } | undefined {
  let best: { at: number; node: TextNode } | undefined;
  for (const piece of m.pieces) {
    if (piece.at <= offset && offset <= piece.at + piece.node.text.length) best = piece;
  }
  if (best) return best;
  // Generated text between pieces: point at the nearest piece before it, else the first piece.
  for (const piece of m.pieces) if (piece.at <= offset) best = piece;
  return best ?? m.pieces[0];
}

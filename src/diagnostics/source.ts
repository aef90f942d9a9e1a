/**
 * A named piece of text (a rules file, a Rego module, an HTTP body) that diagnostics point into.
 * Positions are byte-free UTF-16 offsets; line and column are computed only when asked for, because
 * most loads produce no diagnostics and the line table would be wasted work.
 */
export interface Position {
  line: number; // 1-based
  col: number; // 1-based
}

export class SourceText {
  private lineStarts: number[] | undefined;

  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  position(offset: number): Position {
    const starts = this.lineTable();
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: clamped - starts[lo]! + 1 };
  }

  /** The text of the 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.lineTable();
    const start = starts[line - 1];
    if (start === undefined) return '';
    const next = starts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }

  private lineTable(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }
}

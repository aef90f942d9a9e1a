/** Evaluation errors (OPA's topdown codes); builtin failures are not errors here, they make the call undefined. */
export type EvalErrorCode = 'eval_type_error' | 'eval_builtin_error' | 'eval_conflict_error';

export interface EvalLocation {
  file: string;
  line: number;
  col: number;
}

export class RegoEvalError extends Error {
  constructor(
    readonly code: EvalErrorCode | string,
    message: string,
    readonly location?: EvalLocation,
  ) {
    super(location ? `${location.file}:${location.line}:${location.col}: ${code}: ${message}` : `${code}: ${message}`);
    this.name = 'RegoEvalError';
  }
}

import type { ConditionLocation } from './location.js';

/**
 * The condition AST. Offsets (`start`, `end`) are into the condition text the parser was given;
 * the loader maps them back to the rules file (src/falco/loader/positions.ts).
 */

export interface Node {
  start: number;
  end: number;
}

export interface FieldRef extends Node {
  kind: 'field';
  name: string; // 'proc.aname', 'evt.arg.flags'
  arg?: string; // text inside the brackets
}

export interface TransformerCall extends Node {
  kind: 'transformer';
  name: 'tolower' | 'toupper' | 'b64' | 'basename' | 'len' | 'join' | 'concat' | 'getopt';
  args: (FieldRef | TransformerCall | StringValue)[];
}

export type FieldOperand = FieldRef | TransformerCall;

export interface StringValue extends Node {
  kind: 'string';
  value: string; // unescaped text
  quoted: boolean;
}

export interface ListValue extends Node {
  kind: 'list';
  items: StringValue[];
}

/** `val(field)` or a transformer on the right-hand side. */
export interface FieldValueRef extends Node {
  kind: 'fieldvalue';
  operand: FieldOperand;
}

export type CheckValue = StringValue | ListValue | FieldValueRef;

export type Operator =
  | '='
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'contains'
  | 'icontains'
  | 'bcontains'
  | 'startswith'
  | 'bstartswith'
  | 'endswith'
  | 'glob'
  | 'iglob'
  | 'regex'
  | 'in'
  | 'intersects'
  | 'pmatch'
  | 'exists';

export type Modifier = 'oneof' | 'anyof' | 'allof';

export interface Check extends Node {
  kind: 'check';
  left: FieldOperand;
  op: Operator;
  modifier?: Modifier;
  opStart: number;
  value?: CheckValue; // absent for exists
}

/**
 * A bare identifier: a macro reference. After resolveMacros (src/falco/passes/resolve-macros.ts)
 * `body` holds the macro's expanded AST — the same object for every use of that macro, so the
 * compiler can share one computation per macro per event — and `location` says where the body's
 * offsets point.
 */
export interface MacroRef extends Node {
  kind: 'macro';
  name: string;
  body?: Expr;
  location?: ConditionLocation;
}

export interface And extends Node {
  kind: 'and';
  items: Expr[];
}

export interface Or extends Node {
  kind: 'or';
  items: Expr[];
}

export interface Not extends Node {
  kind: 'not';
  expr: Expr;
}

export type Expr = And | Or | Not | Check | MacroRef;

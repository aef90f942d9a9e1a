/**
 * Every diagnostic code with a short and a long description. Falco codes are Falco's own load-result
 * codes, so `vigil validate` reads like `falco -V`; Rego codes are OPA's error codes.
 */
export const CODES = {
  // Falco load errors
  LOAD_ERR_FILE_READ: ['File read error', 'The rules file or directory could not be read.'],
  LOAD_ERR_YAML_PARSE: ['YAML parse error', 'The rules content is not valid YAML.'],
  LOAD_ERR_YAML_VALIDATE: ['Error validating internal structure of YAML file', 'An item has missing, empty or mistyped keys.'],
  LOAD_ERR_COMPILE_CONDITION: ['Error compiling condition', 'A condition does not parse, names an unknown field or uses an operator or value its field does not allow.'],
  LOAD_ERR_COMPILE_OUTPUT: ['Error compiling output', 'An output format names an unknown field or ends with a %.'],
  LOAD_ERR_VALIDATE: ['Error validating rule/macro/list/exception objects', 'A reference is undefined, an append has nothing to append to, or an item is inconsistent.'],
  LOAD_ERR_EXTENSION: ['Error in extension item', 'An extension item could not be loaded.'],
  // Falco load warnings
  LOAD_UNKNOWN_SOURCE: ['Unknown source', 'The rule names an event source this engine does not know; it is skipped.'],
  LOAD_UNSAFE_NA_CHECK: ['Unsafe <NA> comparison in condition', 'Comparing to the literal <NA> may not do what is meant.'],
  LOAD_NO_EVTTYPE: ['Condition has no event-type restriction', 'The rule can match every event type and runs on every event.'],
  LOAD_UNKNOWN_FILTER: ['Unknown field or event-type in condition or output', 'The rule is skipped because of skip-if-unknown-filter.'],
  LOAD_UNUSED_MACRO: ['Unused macro', 'The macro is not referred to by any rule or macro.'],
  LOAD_UNUSED_LIST: ['Unused list', 'The list is not referred to by any rule, macro or list.'],
  LOAD_UNKNOWN_ITEM: ['Unknown rules file item', 'The item is none of list, macro, rule or version requirement; it is ignored.'],
  LOAD_DEPRECATED_ITEM: ['Used deprecated item', 'The item or field is deprecated.'],
  LOAD_WARNING_EXTENSION: ['Warning in extension item', 'An extension item produced a warning.'],
  LOAD_APPEND_NO_VALUES: ['Overriding/appending exception with no values', 'An appended exception has no values.'],
  LOAD_EXCEPTION_NAME_NOT_UNIQUE: ['Multiple exceptions defined with the same name', 'Exception names must be unique in a rule.'],
  LOAD_INVALID_MACRO_NAME: ['Invalid macro name', 'Macro names should match [a-zA-Z]+[a-zA-Z0-9_]*.'],
  LOAD_INVALID_LIST_NAME: ['Invalid list name', 'List names should not contain parentheses, quotes, blanks, = or ,.'],
  LOAD_COMPILE_CONDITION: ['Warning compiling condition', 'The condition compiles but may not mean what is intended.'],
  LOAD_UNKNOWN_KEY: ['Unknown key', 'The key is not known for this item and is ignored.'],
  // Rego (OPA's codes)
  rego_parse_error: ['Rego parse error', 'The module does not parse.'],
  rego_compile_error: ['Rego compile error', 'The module parses but does not compile.'],
  rego_type_error: ['Rego type error', 'A built-in or operator is used with the wrong number or kind of arguments.'],
  rego_unsafe_var_error: ['Rego unsafe variable', 'A variable is used where it cannot be bound.'],
  rego_recursion_error: ['Rego recursion', 'Rules refer to each other in a cycle.'],
  rego_conflict_error: ['Rego conflict', 'Rules of different kinds share a name, or a package and a rule collide.'],
  // Signatures
  SIG_LOAD: ['Signature load error', 'A signature module could not be loaded or gave invalid metadata.'],
  SIG_RUNTIME: ['Signature runtime error', 'A signature threw while handling an event or signal.'],
  // Configuration
  CONFIG: ['Configuration error', 'The configuration file or an override is invalid.'],
} as const satisfies Record<string, readonly [string, string]>;

export type DiagnosticCode = keyof typeof CODES;

export function describeCode(code: DiagnosticCode): string {
  return CODES[code][0];
}

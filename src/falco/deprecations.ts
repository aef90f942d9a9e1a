/**
 * Fields Falco reports as deprecated with LOAD_DEPRECATED_ITEM (spec 4.1 step 7), in conditions and in
 * outputs. For `evt.dir` the message says what that means: only exit events are delivered (spec 5), so
 * a rules file written for enter events (`evt.dir = >`) loads but its check can never be true.
 */
const DEPRECATED_FIELD = /^(?:evt\.dir|evt\.latency.*|evt\.wait_latency)$/;

const CONSEQUENCES: Readonly<Record<string, { condition: string; output: string }>> = {
  'evt.dir': {
    condition: ": only exit events are delivered, so 'evt.dir = <' is always true and 'evt.dir = >' is always false",
    output: ": only exit events are delivered, so it always prints '<'",
  },
};

/**
 * The warning for a field used in a rule condition or output, or undefined when it is not deprecated.
 * `flagged` is the field table's own deprecated mark, which the name list does not need to repeat.
 */
export function deprecatedFieldWarning(name: string, where: 'condition' | 'output', flagged = false): string | undefined {
  if (!flagged && !DEPRECATED_FIELD.test(name)) return undefined;
  return `usage of deprecated field '${name}' has been detected in the rule ${where}${CONSEQUENCES[name]?.[where] ?? ''}`;
}

export {
  compileOutputFormat, renderValue, typedValue, NA,
  type OutputField, type OutputFormat, type CompileOperand, type OutputCompileResult, type OutputProblem,
} from './format.js';
export {
  formatLocalTime, formatIsoTime, formatJsonTime, jsonEscape, alertLine, renderTextAlert, renderJsonAlert, writeJson,
  type AlertLineOptions,
} from './alert.js';

// PromQL's functions, aggregation operators and keywords as the editor offers them.
// Names and argument signatures follow Prometheus 3.x's documentation
// (docs/querying/functions.md, operators.md); the one-line descriptions are ours.
// Only what the server parses without a feature flag is listed (the browser test
// parses a call of each one on the server).

export type ArgType = "instant-vector" | "range-vector" | "scalar" | "string";

export interface Arg {
  name: string;
  type: ArgType;
  optional?: boolean; // may be left out (a default applies)
  variadic?: boolean; // may repeat
}

export interface PromqlFunction {
  name: string;
  args: Arg[];
  returns: "instant-vector" | "scalar";
  doc: string;
}

const v = (name = "v", optional = false): Arg => ({ name, type: "instant-vector", ...(optional ? { optional } : {}) });
const r = (name = "v"): Arg => ({ name, type: "range-vector" });
const s = (name: string, optional = false): Arg => ({ name, type: "scalar", ...(optional ? { optional } : {}) });
const str = (name: string, variadic = false): Arg => ({ name, type: "string", ...(variadic ? { variadic } : {}) });

const fn = (name: string, args: Arg[], doc: string, returns: PromqlFunction["returns"] = "instant-vector"): PromqlFunction =>
  ({ name, args, returns, doc });
const math = (name: string, doc: string) => fn(name, [v()], doc);
const overTime = (name: string, doc: string) => fn(name, [r()], doc);
const calendar = (name: string, doc: string) => fn(name, [v("v=vector(time())", true)], doc);

export const FUNCTIONS: PromqlFunction[] = [
  math("abs", "Absolute value of each sample."),
  math("absent", "1-element vector when v has no elements, empty otherwise (alert on missing series)."),
  overTime("absent_over_time", "1-element vector when the range has no samples, empty otherwise."),
  math("acos", "Arccosine of each sample."),
  math("acosh", "Inverse hyperbolic cosine of each sample."),
  math("asin", "Arcsine of each sample."),
  math("asinh", "Inverse hyperbolic sine of each sample."),
  math("atan", "Arctangent of each sample."),
  math("atanh", "Inverse hyperbolic tangent of each sample."),
  overTime("avg_over_time", "Average of each series' samples in the range."),
  math("ceil", "Rounds each sample up to an integer."),
  overTime("changes", "How often each series' value changed in the range."),
  fn("clamp", [v(), s("min"), s("max")], "Limits each sample to [min, max]."),
  fn("clamp_max", [v(), s("max")], "Limits each sample to at most max."),
  fn("clamp_min", [v(), s("min")], "Limits each sample to at least min."),
  math("cos", "Cosine of each sample (radians)."),
  math("cosh", "Hyperbolic cosine of each sample."),
  overTime("count_over_time", "Number of samples of each series in the range."),
  calendar("day_of_month", "Day of the month (1-31, UTC) of each timestamp."),
  calendar("day_of_week", "Day of the week (0 = Sunday, UTC) of each timestamp."),
  calendar("day_of_year", "Day of the year (1-366, UTC) of each timestamp."),
  calendar("days_in_month", "Number of days in the month (UTC) of each timestamp."),
  math("deg", "Radians to degrees."),
  overTime("delta", "Difference between the first and last value in the range (gauges)."),
  overTime("deriv", "Per-second derivative by linear regression (gauges)."),
  math("exp", "e raised to each sample."),
  math("floor", "Rounds each sample down to an integer."),
  math("histogram_avg", "Average of the observations of each native histogram."),
  math("histogram_count", "Count of observations of each native histogram."),
  fn("histogram_fraction", [s("lower"), s("upper"), v("b")], "Estimated fraction of observations between lower and upper."),
  fn("histogram_quantile", [s("φ"), v("b")], "φ-quantile (0 ≤ φ ≤ 1) from histogram buckets (needs `le` for classic histograms)."),
  math("histogram_stddev", "Estimated standard deviation of each native histogram's observations."),
  math("histogram_stdvar", "Estimated variance of each native histogram's observations."),
  math("histogram_sum", "Sum of observations of each native histogram."),
  calendar("hour", "Hour of the day (0-23, UTC) of each timestamp."),
  overTime("idelta", "Difference between the last two samples in the range (gauges)."),
  overTime("increase", "Increase of a counter over the range, extrapolated to its edges."),
  overTime("irate", "Per-second rate from the last two samples of a counter."),
  fn("label_join", [v(), str("dst_label"), str("separator"), str("src_label", true)],
    "Joins the values of the src labels with separator into dst_label."),
  fn("label_replace", [v(), str("dst_label"), str("replacement"), str("src_label"), str("regex")],
    "Sets dst_label to replacement when regex matches src_label's value."),
  overTime("last_over_time", "The most recent sample of each series in the range."),
  math("ln", "Natural logarithm of each sample."),
  math("log10", "Decimal logarithm of each sample."),
  math("log2", "Binary logarithm of each sample."),
  overTime("max_over_time", "Maximum of each series' samples in the range."),
  overTime("min_over_time", "Minimum of each series' samples in the range."),
  calendar("minute", "Minute of the hour (0-59, UTC) of each timestamp."),
  calendar("month", "Month of the year (1-12, UTC) of each timestamp."),
  fn("pi", [], "The number π.", "scalar"),
  fn("predict_linear", [r(), s("t")], "Value of each series t seconds from now, by linear regression."),
  overTime("present_over_time", "1 for each series that has any sample in the range."),
  fn("quantile_over_time", [s("φ"), r()], "φ-quantile (0 ≤ φ ≤ 1) of each series' samples in the range."),
  math("rad", "Degrees to radians."),
  overTime("rate", "Per-second average rate of increase of a counter over the range."),
  overTime("resets", "Number of counter resets in the range."),
  fn("round", [v(), s("to_nearest=1", true)], "Rounds each sample to the nearest multiple of to_nearest."),
  fn("scalar", [v()], "The sample value of a 1-element vector as a scalar (NaN otherwise).", "scalar"),
  math("sgn", "Sign of each sample: 1, -1 or 0."),
  math("sin", "Sine of each sample (radians)."),
  math("sinh", "Hyperbolic sine of each sample."),
  math("sort", "Sorts by sample value, ascending (instant queries)."),
  math("sort_desc", "Sorts by sample value, descending (instant queries)."),
  math("sqrt", "Square root of each sample."),
  overTime("stddev_over_time", "Population standard deviation of each series' samples in the range."),
  overTime("stdvar_over_time", "Population variance of each series' samples in the range."),
  overTime("sum_over_time", "Sum of each series' samples in the range."),
  math("tan", "Tangent of each sample (radians)."),
  math("tanh", "Hyperbolic tangent of each sample."),
  fn("time", [], "Evaluation time in seconds since the epoch.", "scalar"),
  math("timestamp", "Timestamp of each sample, in seconds since the epoch."),
  fn("vector", [s("s")], "The scalar as a vector without labels."),
  calendar("year", "Year (UTC) of each timestamp."),
];

export interface Aggregation {
  name: string;
  param?: Arg; // the parameter before the vector: topk(k, v)
  doc: string;
}

export const AGGREGATIONS: Aggregation[] = [
  { name: "avg", doc: "Average over dimensions." },
  { name: "bottomk", param: s("k"), doc: "Smallest k elements by sample value." },
  { name: "count", doc: "Number of elements in the vector." },
  { name: "count_values", param: str("label"), doc: "Number of elements with the same value, the value in a label." },
  { name: "group", doc: "1 for each group (all values become 1)." },
  { name: "max", doc: "Maximum over dimensions." },
  { name: "min", doc: "Minimum over dimensions." },
  { name: "quantile", param: s("φ"), doc: "φ-quantile (0 ≤ φ ≤ 1) over dimensions." },
  { name: "stddev", doc: "Population standard deviation over dimensions." },
  { name: "stdvar", doc: "Population variance over dimensions." },
  { name: "sum", doc: "Sum over dimensions." },
  { name: "topk", param: s("k"), doc: "Largest k elements by sample value." },
];

// Keywords that follow an expression (binary operators and modifiers).
export const BINARY_KEYWORDS = ["and", "or", "unless", "atan2", "offset", "bool", "on", "ignoring", "group_left", "group_right"];
// Keywords whose parentheses hold label names.
export const GROUPING_KEYWORDS = ["by", "without", "on", "ignoring", "group_left", "group_right"];

export function signature(f: PromqlFunction): string {
  const arg = (a: Arg) => `${a.name} ${a.type}${a.variadic ? ", ..." : ""}`;
  const required = f.args.filter((a) => !a.optional).map(arg);
  const optional = f.args.filter((a) => a.optional).map((a) => `[${arg(a)}]`);
  return `${f.name}(${[...required, ...optional].join(", ")}) → ${f.returns}`;
}

export function aggregationSignature(a: Aggregation): string {
  const param = a.param ? `${a.param.name} ${a.param.type}, ` : "";
  return `${a.name} [by|without (labels)] (${param}v instant-vector) → instant-vector`;
}

const FUNCTION_NAMES = new Set(FUNCTIONS.map((f) => f.name));
const AGGREGATION_NAMES = new Set(AGGREGATIONS.map((a) => a.name));

export function isFunction(name: string): boolean {
  return FUNCTION_NAMES.has(name);
}

export function isAggregation(name: string): boolean {
  return AGGREGATION_NAMES.has(name.toLowerCase());
}

// Identifiers that are never metric names in an expression.
const RESERVED = new Set([...BINARY_KEYWORDS, ...GROUPING_KEYWORDS, "inf", "nan"]);
export function isKeyword(name: string): boolean {
  return RESERVED.has(name.toLowerCase());
}

// A call of `f` with arguments of the right types, for checking that the server
// knows it (e.g. `clamp(up, 1, 1)`, `rate(up[5m])`).
export function exampleCall(f: PromqlFunction): string {
  const sample: Record<ArgType, string> = { "instant-vector": "up", "range-vector": "up[5m]", scalar: "1", string: '"a"' };
  return `${f.name}(${f.args.filter((a) => !a.optional).map((a) => sample[a.type]).join(", ")})`;
}

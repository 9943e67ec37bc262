/**
 * The version of the rules that shape a translation besides the model and the request: sentence
 * segmentation, placeholder masking and its fallback, the omission guard, the detection reliability
 * rule. It is part of every edge cache key, so answers cached under older rules are never served once
 * the rules change: bump it with any change to those rules.
 */
export const OUTPUT_POLICY_VERSION = 2;

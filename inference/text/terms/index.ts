/**
 * Terminology on top of text/protect's masks: protected terms (kept verbatim) and per-request glossary
 * entries (the source term masked, its target term put where the model put the mask, in the
 * occurrence's case). Both are span rules, so they share the placeholders' guarantee: check, and
 * piecewise fallback with `placeholder_fallback` when the model breaks a mask.
 */
export { followCase } from './case.js';
export { terminologyRules, type Terminology } from './rules.js';

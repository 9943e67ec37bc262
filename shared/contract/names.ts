import { z } from '@hono/zod-openapi';

/** C0 and C1 controls (line breaks, tabs, NUL, ESC, …): they break log lines, tables and terminals. */
const CONTROL = /\p{Cc}/u;
/**
 * A lone surrogate (half of a UTF-16 pair): not a character, and not encodable as UTF-8 (it becomes
 * U+FFFD, so the name stored differs from the name shown). With the u flag a regex reads code points,
 * so a well-formed pair (an emoji) is one code point outside Cs and does not match.
 */
const LONE_SURROGATE = /\p{Cs}/u;
/**
 * Bidirectional controls (Unicode's Bidi_Control: U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069):
 * invisible, they reorder what follows, so `admin\u202Egnp.exe` shows as "adminexe.png" (the trick
 * of CVE-2021-42574 "Trojan Source").
 */
const BIDI_CONTROL = /\p{Bidi_Control}/u;

/**
 * A name people give a thing and read back in lists (an API key's, a glossary's): trimmed, 1 to
 * `maxCharacters` code points, and nothing that is invisible or changes how other text reads —
 * no control characters, no lone surrogates, no bidirectional controls. Each refusal says which rule.
 */
export function DisplayNameSchema(maxCharacters: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty or blank')
    // zod 4 counts a string's length in code points (an emoji is one), as JSON Schema's maxLength does
    .max(maxCharacters, `must be at most ${maxCharacters} characters`)
    .refine((name) => !CONTROL.test(name), 'must not contain control characters')
    .refine((name) => !LONE_SURROGATE.test(name), 'must not contain lone surrogates (malformed UTF-16)')
    .refine((name) => !BIDI_CONTROL.test(name), 'must not contain bidirectional control characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069)');
}

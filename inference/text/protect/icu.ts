import {
  isArgumentElement,
  isDateElement,
  isLiteralElement,
  isNumberElement,
  isPluralElement,
  isSelectElement,
  isTimeElement,
  parse,
  type MessageFormatElement,
  type PluralElement,
  type SelectElement,
} from '@formatjs/icu-messageformat-parser';
import { escapeIcuLiteral } from './icu-escape.js';
import { MASK, maskToken } from './mask.js';
import { findSpans, spanRules, type Rule } from './spans.js';

/**
 * ICU MessageFormat with plural, select or selectordinal arguments, cut into the messages a model
 * should translate, and put back together with its structure byte-identical.
 *
 * Parser: @formatjs/icu-messageformat-parser, the parser of FormatJS/react-intl (the most used
 * ICU implementation in JavaScript): maintained, MIT, ESM with types, one small dependency, the
 * ICU 4.8+ apostrophe rules, and `captureLocation` offsets for every element and option, so the
 * structure is rebuilt from slices of the original text rather than re-printed (a printer would
 * normalise spacing and quoting). Tags are parsed as text (`ignoreTag`): `<0>`, `<b>` are then
 * protected spans of the plain-text rules, and text that uses `<` in prose still parses.
 *
 * Messages: every option's message is one, and so is the text around the arguments at the top.
 * Inside a message, simple arguments (`{name}`, `{n, number}`, `{d, date, short}`), `#` and
 * nested plural/select arguments are protected spans: a nested argument is one mask in its
 * parent message, so the model can move it with the sentence's word order, and its own options
 * are messages of their own. Literal text is given to the model unescaped ("l'enfant", not
 * "l''enfant") with the plain-text spans (URLs, numbers, …) masked, and is ICU-escaped again on
 * rebuild, so a translation containing `{` or `'` cannot break the structure.
 */
export interface IcuMessages {
  /** The masked messages, outer ones before the ones nested in them. */
  messages: string[];
  /** The message text with `translated[i]` in place of message i; each must have passed checkMasks against `messages[i]`. */
  rebuild(translated: readonly string[]): string;
}

type MessageSpan =
  | { kind: 'literal'; text: string }
  | { kind: 'syntax'; text: string }
  | { kind: 'nested'; nested: Nested };

interface Message {
  masked: string;
  spans: MessageSpan[];
  /** `#` is syntax here (the message is an option of a plural or selectordinal). */
  pound: boolean;
  /** The character after the message in the source: `}` for an option, none at the top. */
  next: string | undefined;
}

interface Nested {
  start: number;
  end: number;
  options: Array<{ contentStart: number; contentEnd: number; message: number }>;
}

// Cheap test before parsing: only ICU with a plural or select argument takes this path.
const COMPLEX_ARGUMENT = /\{\s*[^{}\s,]+\s*,\s*(?:plural|select|selectordinal)\s*,/u;

/**
 * The messages of `text` when it is ICU MessageFormat with at least one plural, select or
 * selectordinal argument; null for anything else, including text that looks like ICU but does
 * not parse (that is plain text, protected by the plain-text rules).
 */
export function icuMessages(text: string, terms: readonly Rule[] = []): IcuMessages | null {
  const rules = spanRules('auto', terms);
  if (!COMPLEX_ARGUMENT.test(text)) return null;
  let elements: MessageFormatElement[];
  try {
    elements = parse(text, { captureLocation: true, ignoreTag: true, requiresOtherClause: true, shouldParseSkeletons: false });
  } catch {
    return null;
  }
  if (!elements.some((el) => isPluralElement(el) || isSelectElement(el))) return null;

  const messages: Message[] = [];
  addMessage(elements, false, undefined);
  return {
    messages: messages.map((m) => m.masked),
    rebuild(translated) {
      if (translated.length !== messages.length) {
        throw new RangeError(`expected ${messages.length} translated messages, got ${translated.length}`);
      }
      return render(0);

      function render(index: number): string {
        const message = messages[index]!;
        const output = translated[index]!;
        let out = '';
        let literal = '';
        let at = 0;
        for (const m of output.matchAll(MASK)) {
          literal += output.slice(at, m.index);
          at = m.index + m[0].length;
          const span = message.spans[Number(m[1])];
          if (!span) throw new RangeError(`mask ${m[0]} has no span: rebuild only outputs that passed checkMasks`);
          if (span.kind === 'literal') {
            literal += span.text;
            continue;
          }
          const syntax = span.kind === 'syntax' ? span.text : renderNested(span.nested);
          out += escapeIcuLiteral(literal, { pound: message.pound, next: syntax[0] }) + syntax;
          literal = '';
        }
        literal += output.slice(at);
        return out + escapeIcuLiteral(literal, { pound: message.pound, next: message.next });
      }

      function renderNested(nested: Nested): string {
        let out = '';
        let at = nested.start;
        for (const option of nested.options) {
          out += text.slice(at, option.contentStart) + render(option.message);
          at = option.contentEnd;
        }
        return out + text.slice(at, nested.end);
      }
    },
  };

  /** Adds the message made of `elements` (and, after it, the messages nested in it); returns its index. */
  function addMessage(elements: MessageFormatElement[], pound: boolean, next: string | undefined): number {
    const index = messages.length;
    const message: Message = { masked: '', spans: [], pound, next };
    messages.push(message);
    const protectSpan = (span: MessageSpan) => {
      message.masked += maskToken(message.spans.length);
      message.spans.push(span);
    };
    // `${name}` in an ICU message: the parser reads `{name}` as an argument and leaves the `$` in the
    // literal before it, where the model would drop it; it belongs to the placeholder's span.
    let dollar = '';
    elements.forEach((el, i) => {
      if (isLiteralElement(el)) {
        const following = elements[i + 1];
        const takesDollar =
          following !== undefined && isSimpleArgument(following) && el.value.endsWith('$') && text[locationOf(following).start - 1] === '$';
        const value = takesDollar ? el.value.slice(0, -1) : el.value;
        let at = 0;
        for (const span of findSpans(value, rules)) {
          message.masked += value.slice(at, span.start);
          protectSpan({ kind: 'literal', text: span.output ?? span.text });
          at = span.end;
        }
        message.masked += value.slice(at);
        dollar = takesDollar ? '$' : '';
      } else if (isPluralElement(el) || isSelectElement(el)) {
        protectSpan({ kind: 'nested', nested: nestedOf(el) });
      } else {
        // `#`, {name}, {n, number}, {d, date, short}, … (and tags, were they parsed): kept verbatim.
        protectSpan({ kind: 'syntax', text: dollar + sliceOf(el) });
        dollar = '';
      }
    });
    return index;
  }

  function nestedOf(el: PluralElement | SelectElement): Nested {
    const { start, end } = locationOf(el);
    // Option keys such as "1" would come first in a Record whatever their place: use source order.
    const options = Object.values(el.options)
      .map((option) => ({ option, location: option.location! }))
      .sort((a, b) => a.location.start.offset - b.location.start.offset);
    // The options' messages are added after their parent's: messages are numbered outer first.
    const pound = isPluralElement(el);
    return {
      start,
      end,
      options: options.map(({ option, location }) => ({
        // The option's location covers its braces: the message is what is between them.
        contentStart: location.start.offset + 1,
        contentEnd: location.end.offset - 1,
        message: addMessage(option.value, pound, '}'),
      })),
    };
  }

  function sliceOf(el: MessageFormatElement): string {
    const { start, end } = locationOf(el);
    return text.slice(start, end);
  }
}

/** An element kept verbatim as one span that a `$` may prefix: {name}, {n, number}, {d, date}, … (not `#`). */
function isSimpleArgument(el: MessageFormatElement): boolean {
  return isArgumentElement(el) || isNumberElement(el) || isDateElement(el) || isTimeElement(el);
}

function locationOf(el: MessageFormatElement): { start: number; end: number } {
  if (!el.location) throw new Error('the ICU parser returned an element without a location (captureLocation is on)');
  return { start: el.location.start.offset, end: el.location.end.offset };
}

import type { SentenceAlternative } from './batched-engine.js';

/** One sentence of an item: the chosen translation and the others the model offers, best first. */
export interface SentenceChoices {
  text: string;
  /** The chosen hypothesis' beam score; null (no alternatives used) when it was not translated whole. */
  beamScore: number | null;
  alternatives: readonly SentenceAlternative[];
}

/** Enough to find `count` distinct variants even when many combinations give the same text. */
const MAX_EXPANSIONS = 256;

/**
 * Up to `count` whole-item alternatives, best first, each different from the chosen item text and
 * from each other. An alternative is the item with one or more sentences in one of their other
 * hypotheses; it is ranked by its loss, the sum over sentences of (chosen beam score - the used
 * hypothesis' beam score), so the first is the single cheapest swap. For a single-sentence item
 * these are the sentence's n-best in order.
 *
 * `build` puts an item together from one text per sentence (its layout and restored spans). The
 * combinations are enumerated best-first: a choice vector's successors raise one position at or
 * after its last raised one, so each vector is reached once, and losses never fall along the way.
 */
export function itemAlternatives(sentences: readonly SentenceChoices[], count: number, build: (texts: string[]) => string): string[] {
  if (count <= 0) return [];
  const options = sentences.map(distinctOptions);
  const chosen = build(options.map((o) => o[0]!.text));
  const seen = new Set([chosen]);
  const out: string[] = [];
  type Node = { choice: number[]; loss: number; last: number };
  const frontier: Node[] = [{ choice: options.map(() => 0), loss: 0, last: 0 }];
  for (let expansions = 0; frontier.length > 0 && out.length < count && expansions < MAX_EXPANSIONS; expansions++) {
    const node = takeCheapest(frontier);
    // The first node is the chosen item itself.
    if (expansions > 0) {
      const text = build(node.choice.map((c, s) => options[s]![c]!.text));
      if (!seen.has(text)) {
        seen.add(text);
        out.push(text);
      }
    }
    for (let s = node.last; s < options.length; s++) {
      const c = node.choice[s]!;
      if (c + 1 >= options[s]!.length) continue;
      const choice = node.choice.slice();
      choice[s] = c + 1;
      frontier.push({ choice, loss: node.loss + options[s]![c + 1]!.loss - options[s]![c]!.loss, last: s });
    }
  }
  return out;
}

/** Removes and returns the node of least loss (the earliest on ties): a scan, as few nodes are ever taken. */
function takeCheapest<T extends { loss: number }>(nodes: T[]): T {
  let best = 0;
  for (let i = 1; i < nodes.length; i++) if (nodes[i]!.loss < nodes[best]!.loss) best = i;
  return nodes.splice(best, 1)[0]!;
}

/** A sentence's texts, chosen first, with their loss; alternatives repeating an earlier text are dropped. */
function distinctOptions(sentence: SentenceChoices): { text: string; loss: number }[] {
  const options = [{ text: sentence.text, loss: 0 }];
  if (sentence.beamScore === null) return options;
  const seen = new Set([sentence.text]);
  for (const alt of sentence.alternatives) {
    if (seen.has(alt.text)) continue;
    seen.add(alt.text);
    // A hypothesis ranked below the chosen one never scores above it; clamp float noise.
    options.push({ text: alt.text, loss: Math.max(0, sentence.beamScore - alt.score) });
  }
  return options;
}

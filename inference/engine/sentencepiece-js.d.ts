// Types for sentencepiece-js 1.1.0, which ships none. Only what the engine uses.
declare module 'sentencepiece-js' {
  export class SentencePieceProcessor {
    /** Reads a model file by path. A corrupt file loads silently and then encodes to []. */
    load(path: string): Promise<void>;
    encodeIds(text: string): number[];
    encodePieces(text: string): string[];
    decodeIds(ids: number[]): string;
  }
  /** Lower-cases its input: never use it for NLLB. */
  export function cleanText(text: string): string;
  const sentencepiece: { SentencePieceProcessor: typeof SentencePieceProcessor; cleanText: typeof cleanText };
  export default sentencepiece;
}

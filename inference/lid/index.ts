export type { LanguageDetector, LidCandidate, LidResult } from './types.js';
export { FastTextDetector, defaultLid176Path, type FastTextDetectorOptions } from './fasttext.js';
export { detectLabelStyle, floresForLabel, stripLabelPrefix, type LabelStyle, type LabelStyleOption } from './labels.js';
export { prepareTextForLid, hasLetters } from './text.js';
export { toDetectAnswer, DEFAULT_MIN_CONFIDENCE, type DetectAnswer, type DetectAnswerOptions } from './answer.js';
export { judgeDetection, type DetectionJudgement, type DetectionPolicy, type UnreliableReason } from './reliability.js';

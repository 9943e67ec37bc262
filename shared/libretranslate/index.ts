/** LibreTranslate compatibility shared by both apps: its answers built from ours, and its GET /languages. */
export { ltCode, ltConfidence, ltDetectAnswer, ltTranslateAnswer, type LtDetection, type LtTranslateShape, type LtTranslatedItem } from './answer.js';
export { createLtLanguagesApp } from './languages-app.js';

/**
 * LibreTranslate compatibility shared by both apps: its body kinds, its answers built from ours, its
 * error shape, GET /languages, /frontend/settings and /spec.
 */
export { ltCode, ltConfidence, ltDetectAnswer, ltTranslateAnswer, type LtDetection, type LtTranslateShape, type LtTranslatedItem } from './answer.js';
export { normalizeLineEndings, readLtBody, type LtBody } from './body.js';
export { LT_ERROR_CODE_HEADER, LT_PATHS, isLibreTranslatePath, libreTranslateErrorShape, ltErrorResponse } from './errors.js';
export { LT_FILE_FORMATS, ltFrontendSettings, preferredLanguage, type FrontendSettingsInput } from './frontend-settings.js';
export { createLtLanguagesApp } from './languages-app.js';
export { registerLtSpec } from './spec.js';
export { ltValidatedBody, type LtBodyOptions } from './validated-body.js';

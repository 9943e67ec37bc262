export * from './request-context.js';
export * from './json-body.js';
export * from './validated-body.js';
export * from './validation-hook.js';
export * from './errors.js';
export * from './docs.js';

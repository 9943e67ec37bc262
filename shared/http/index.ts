export * from './request-context.js';
export * from './json-body.js';
export * from './errors.js';
export * from './docs.js';

import { AppError } from '../errors.js';

/**
 * The refusals of a document, each with its stable code: nothing is translated, charged or stored when
 * one of these is thrown (they all happen while the document is read, before any of that).
 */
export function invalidDocument(message: string): AppError {
  return new AppError('INVALID_DOCUMENT', message);
}

export function unsupportedDocument(name: string, supported: readonly string[]): AppError {
  return new AppError('UNSUPPORTED_DOCUMENT_FORMAT', `${JSON.stringify(name)} is not a supported document; supported: ${supported.map((e) => `.${e}`).join(', ')}`, {
    details: { supported },
  });
}

export function documentTooLarge(message: string, details: Record<string, unknown>): AppError {
  return new AppError('DOCUMENT_TOO_LARGE', message, { details });
}

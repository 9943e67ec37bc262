export { createMetrics, type Metrics, type MetricsOptions } from './metrics.js';
export { EndpointLabels, OTHER, errorLabel, languageLabel, statusLabel } from './labels.js';
export { createLogger, logRequest, requestLogLine, TEXT_FIELDS, type LoggerOptions, type RequestLogFields } from './logger.js';

export { AdmissionControl, DEADLINE_SHARE, type AdmissionOptions, type DeadlineCheck, type QueueTicket, type WorkPart } from './admission.js';
export {
  MicroBatcher,
  type BatchInfo,
  type BatchRunner,
  type BatcherStats,
  type MicroBatcherOptions,
  type SubmitOptions,
} from './batcher.js';
export { translationBatchKey } from './keys.js';
export { ServiceRate } from './rate.js';
export { planThreads, type ThreadPlan, type ThreadPlanOptions } from './threads.js';

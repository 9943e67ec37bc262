import { COMMIT_HASH } from './cache-layout.js';
import { resolveRevision, type HubOptions } from './hub.js';

export type NewerRevision = boolean | 'unknown';

export interface RevisionCheckOptions extends HubOptions {
  /** The branch to compare against (default 'main'). */
  branch?: string;
  timeoutMs?: number;
}

/**
 * Whether the branch now points at another commit than the one being served. 'unknown' when that
 * cannot be said: offline, the Hub erring, or a current revision that is not a commit (the fixture).
 */
export async function checkForNewerRevision(repo: string, currentRevision: string, options: RevisionCheckOptions = {}): Promise<NewerRevision> {
  if (!COMMIT_HASH.test(currentRevision)) return 'unknown';
  const baseFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const timedFetch: typeof fetch = (input, init) => baseFetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  try {
    const { commit } = await resolveRevision(repo, options.branch ?? 'main', { ...options, fetch: timedFetch });
    return commit !== currentRevision;
  } catch {
    return 'unknown';
  }
}

export interface RevisionCheckerOptions extends RevisionCheckOptions {
  repo: string;
  currentRevision: string;
  /** Default hourly; 0 disables the timer (checkNow still works). */
  intervalMs?: number;
  /** Replaces the Hub query (tests). */
  check?: (repo: string, currentRevision: string) => Promise<NewerRevision>;
}

/**
 * Asks the Hub in the background whether a newer revision exists. Never blocks a request: readers get
 * the last answer (`newerAvailable`), the timer is unref'd, and overlapping checks are merged.
 */
export class RevisionChecker {
  private value: NewerRevision = 'unknown';
  private checkedAt: Date | null = null;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<NewerRevision> | undefined;
  private currentRevision: string;

  constructor(private readonly options: RevisionCheckerOptions) {
    this.currentRevision = options.currentRevision;
  }

  get newerAvailable(): NewerRevision {
    return this.value;
  }

  get lastCheckedAt(): Date | null {
    return this.checkedAt;
  }

  /** After a hot swap: compare against the revision now served (and forget the old answer). */
  setCurrentRevision(revision: string): void {
    this.currentRevision = revision;
    this.value = 'unknown';
  }

  start(): void {
    if (this.timer) return;
    void this.checkNow();
    const interval = this.options.intervalMs ?? 3_600_000;
    if (interval > 0) {
      this.timer = setInterval(() => void this.checkNow(), interval);
      this.timer.unref();
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  checkNow(): Promise<NewerRevision> {
    this.inFlight ??= this.run().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async run(): Promise<NewerRevision> {
    const revision = this.currentRevision;
    const check = this.options.check ?? ((repo, current) => checkForNewerRevision(repo, current, this.options));
    const result = await check(this.options.repo, revision).catch((): NewerRevision => 'unknown');
    // a swap during the check makes its answer stale
    if (revision === this.currentRevision) {
      this.value = result;
      this.checkedAt = new Date();
    }
    return result;
  }
}

// The storage port of send pacing: per-instance settings, the persisted send queue, the log of paced sends and device logins.

/** queued: answer at once, result by callback; blocking: answer the vendor's answer once sent. */
export type SendAnswer = 'queued' | 'blocking';

export interface SendPacingSettings {
  readonly enabled: boolean;
  readonly answer: SendAnswer;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** 0 = no cap */
  readonly perMinute: number;
  /** 0 = no cap */
  readonly perDay: number;
  /** HH:MM local; equal start and end = no quiet hours. */
  readonly quietStart: string;
  readonly quietEnd: string;
  readonly utcOffsetMinutes: number;
  /** 0 = no warm-up */
  readonly warmupDays: number;
  readonly massSendRecipients: number;
}

/**
 * A paced send waiting its turn. One node stores only queued sends (a blocking caller holds its own request, see
 * docs/pacing.md); a cluster stores blocking ones too, since the node that sends may not be the one whose caller waits.
 */
export interface PacedSendRecord {
  readonly queueId: string;
  readonly appId: string;
  readonly guid: string;
  /** The contract path, e.g. /msg/send_text. */
  readonly path: string;
  readonly request: unknown;
  /** The chat it goes to ('' when the call names none), for the warm-up's mass-send rule. */
  readonly recipient: string;
  /** unix ms */
  readonly enqueuedAt: number;
  /** queued: waiting; sending: handed to the driver (a crash leaves it so, and it is reported, not resent). */
  readonly state: 'queued' | 'sending';
  /** queued: the result goes out as a 9001 callback; blocking: a caller waits for it on node `waiter`. */
  readonly answer: SendAnswer;
  /** The cluster node whose caller waits for a blocking send's answer; null for queued sends. */
  readonly waiter: string | null;
}

/** Why a paced send failed, as the caller is answered: the error's catalog name, code, message and data. */
export interface PacedSendError {
  readonly name: string;
  readonly code: number;
  readonly message: string;
  readonly data: Record<string, unknown> | null;
}

/** What became of a paced send: the driver's answer, or the error. */
export type PacedSendOutcome = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: PacedSendError };

/** One paced send that went to the driver. */
export interface PacedSendLogEntry {
  /** unix ms */
  readonly at: number;
  readonly recipient: string;
}

export interface SendPacingRepository {
  settings(guid: string): Promise<SendPacingSettings | undefined>;
  /** Every instance with settings (enabled or not), for the start. */
  allSettings(): Promise<Array<{ guid: string; settings: SendPacingSettings }>>;
  saveSettings(guid: string, settings: SendPacingSettings): Promise<void>;
  /** The account that last logged in on the instance and when it first did (a new device for it), if any. */
  deviceLogin(guid: string): Promise<{ wxid: string; at: number } | undefined>;
  /** Records a login; the time is kept while the same account logs in again on the instance. */
  recordDeviceLogin(guid: string, wxid: string, at: number): Promise<void>;
  enqueue(record: PacedSendRecord): Promise<void>;
  /** Every queued or sending record (of one instance, given `guid`), in the order they were queued. */
  pending(guid?: string): Promise<PacedSendRecord[]>;
  /** The instances with records queued or sending. */
  queuedInstances(): Promise<string[]>;
  markSending(queueId: string): Promise<void>;
  remove(queueId: string): Promise<void>;
  /** Removes the record only while it is still queued (not handed to the driver); answers whether it did. */
  withdraw(queueId: string): Promise<boolean>;
  /** Keeps a finished blocking send's outcome for the node whose caller waits (a cluster's; `at` unix ms). */
  keepOutcome(queueId: string, guid: string, outcome: PacedSendOutcome, at: number): Promise<void>;
  /** A kept outcome, forgotten as it is read; undefined while the send has not finished. */
  takeOutcome(queueId: string): Promise<PacedSendOutcome | undefined>;
  /** Forgets outcomes kept at or before `at` (unix ms): their callers' nodes died. */
  forgetOutcomesBefore(at: number): Promise<void>;
  recordSent(guid: string, entry: PacedSendLogEntry): Promise<void>;
  /** The sends of an instance after `since` (unix ms), oldest first. */
  sentSince(guid: string, since: number): Promise<PacedSendLogEntry[]>;
  forgetSentBefore(at: number): Promise<void>;
  /** Forgets everything of a removed instance. */
  removeInstance(guid: string): Promise<void>;
}

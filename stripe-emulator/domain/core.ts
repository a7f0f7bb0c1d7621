/** Wires the state, clock, delivery and scheduler together; every handler receives a Core. */
import { Clock } from "./clock";
import {
  applySettingsPatch,
  initialSettings,
  settingsPatchSchema,
  type ResolvedOptions,
  type Settings,
} from "../config";
import { NO_REQUEST, type RequestMeta } from "./context";
import { DeliveryManager } from "../delivery/delivery";
import { apiEndpoint, makeEndpoint, type Endpoint } from "../delivery/endpoints";
import type { SessionRecord } from "./model/checkout";
import type { Settlement } from "./model/events";
import { Pace } from "../pace/pace";
import { loadState, StateWriter } from "./persistence";
import { Scheduler } from "./scheduler";
import { Store } from "./store";

/**
 * The timed transitions Core fires when they fall due: a delayed debit's outcome and an open
 * session's expiry. They are payment rules (`settle` and `expireSession` in payments.ts), given
 * to Core by `startEmulator` in the package's index.ts, where the emulator is wired together,
 * so that Core does not import them.
 */
export interface DueWork {
  settle: (core: Core, settlement: Settlement) => void;
  expireSession: (core: Core, sessionId: string, meta: RequestMeta) => void;
}

export class Core {
  readonly store = new Store();
  readonly clock = new Clock();
  readonly settings: Settings;
  readonly delivery: DeliveryManager;
  readonly scheduler: Scheduler;
  readonly pace: Pace;
  private readonly configEndpoints: Endpoint[];
  private writer: StateWriter | null = null;
  private baseUrl = "";

  constructor(
    readonly options: ResolvedOptions,
    private readonly dueWork: DueWork,
  ) {
    this.settings = initialSettings(options);
    this.configEndpoints = options.webhookEndpoints.map((e) => makeEndpoint(e, "config"));
    this.delivery = new DeliveryManager({
      store: this.store,
      clock: this.clock,
      settings: this.settings,
      changed: () => this.persist(),
      log: options.log,
    });
    this.delivery.reset(this.configEndpoints);
    this.scheduler = new Scheduler(
      this.clock,
      { nextDueAt: () => this.nextDueAt(), fireDue: (now) => this.fireDue(now) },
      (e) => options.log(`scheduler error: ${String(e)}`),
    );
    this.pace = new Pace({ settings: this.settings, now: options.rateLimitClock, random: Math.random });
  }

  /** Loads persisted state (if any) and starts writing changes back to the file. */
  attachStateFile(file: string): void {
    const state = loadState(file);
    if (state) {
      this.store.restore(state);
      this.clock.reset(state.clockOffsetMs);
      // Before the deliveries resume, so those to these endpoints find them.
      for (const record of this.store.webhookEndpoints.values()) {
        if (record.endpoint.status === "enabled") this.delivery.upsertEndpoint(apiEndpoint(record));
      }
    }
    this.writer = new StateWriter(
      file,
      () => this.store.snapshot(this.clock.offsetMs),
      (e) => this.options.log(`could not save state: ${String(e)}`),
    );
    this.delivery.restore();
    this.scheduler.runDue();
  }

  setPublicUrl(url: string): void {
    this.baseUrl = url.replace(/\/+$/, "");
  }

  pageUrl(sessionId: string): string {
    return `${this.baseUrl}/c/pay/${sessionId}`;
  }

  /** The page showing a bank transfer's instructions, as `hosted_instructions_url` links it. */
  bankTransferInstructionsUrl(paymentIntentId: string): string {
    return `${this.baseUrl}/bank_transfers/instructions/${paymentIntentId}`;
  }

  /** Where a payment link opens a Checkout Session for its buyer. */
  paymentLinkUrl(linkId: string): string {
    return `${this.baseUrl}/b/${linkId}`;
  }

  /** Every mutation ends here: persist soon, and re-plan the next timed transition. */
  changed(): void {
    this.persist();
    this.scheduler.rearmSoon();
  }

  /** The runtime knobs (control API and `configure`); throws a ZodError on bad input. */
  configure(input: unknown): Settings {
    const patch = settingsPatchSchema.parse(input);
    applySettingsPatch(this.settings, patch);
    if (patch.rateLimit !== undefined) this.pace.budgetsChanged();
    this.delivery.settingsChanged();
    return this.settings;
  }

  reset(): void {
    this.store.clear();
    this.clock.reset();
    Object.assign(this.settings, initialSettings(this.options));
    this.pace.reset();
    this.delivery.reset(this.configEndpoints);
    this.changed();
  }

  async close(): Promise<void> {
    this.pace.close();
    this.scheduler.stop();
    await this.delivery.stop();
    await this.writer?.flush();
  }

  private persist(): void {
    this.writer?.schedule();
  }

  private nextDueAt(): number {
    let next = Infinity;
    for (const settlement of this.store.settlements) next = Math.min(next, settlement.dueAtMs);
    for (const record of this.store.sessions.values()) {
      if (record.session.status === "open") next = Math.min(next, expiryMs(record));
    }
    return next;
  }

  /** Oldest first, so a session expiring before its debit settles behaves as it would have. */
  private fireDue(nowMs: number): void {
    const due: { at: number; run: () => void }[] = [];
    for (const settlement of this.store.settlements) {
      if (settlement.dueAtMs <= nowMs) {
        due.push({ at: settlement.dueAtMs, run: () => this.dueWork.settle(this, settlement) });
      }
    }
    for (const record of this.store.sessions.values()) {
      const { session } = record;
      if (session.status === "open" && expiryMs(record) <= nowMs) {
        due.push({ at: expiryMs(record), run: () => this.dueWork.expireSession(this, session.id, NO_REQUEST) });
      }
    }
    for (const item of due.sort((a, b) => a.at - b.at)) item.run();
  }
}

/** When an open session expires on the virtual clock. */
function expiryMs(record: SessionRecord): number {
  return record.expiresAtMs ?? record.session.expires_at * 1000;
}

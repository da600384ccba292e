import { newApiKey, newId, newServerKey, newWebhookSecret } from "../../security/credentials.js";
import { generateVapidKeys, type VapidKeys, vapidKeysProblem } from "../../security/vapid-keys.js";
import type { Clock } from "../clock.js";
import { InvalidInputError, NotFoundError } from "../errors.js";
import type {
  ApnsCredentials,
  App,
  AppBasicSettings,
  AppSecrets,
  AppVariant,
  FcmServiceAccount,
  SecretKind,
  StatusCallbackSettings,
  WebhookDisabled,
  WebhookSettings,
  WebPushCredentials,
} from "./app.js";
import { webhookBreakerDefaults } from "./app.js";
import type { AppRepository } from "./app-repository.js";

export interface AppInput extends AppBasicSettings {
  webhook: WebhookInput | null;
  statusCallback: StatusCallbackSettings | null;
  fcm: FcmServiceAccount | null;
  apns: ApnsCredentials | null;
  webpush: WebPushSettings | null;
  /** By name: each variant's credentials (a provider left out is the app's own). */
  variants: Record<string, VariantChange | null>;
}

/** A webhook as set up: its settings, and whether it is on (an operator may turn it off). */
export type WebhookInput = Omit<WebhookSettings, "disabled"> & { enabled: boolean };

/** What a change names of the webhook: `enabled: true` turns it back on, whoever turned it off. */
export type WebhookChange = Partial<WebhookInput>;

/** What an operator turning the webhook off leaves as its reason. */
export const operatorDisabledReason = "turned off by an operator";

/** The run of failed calls that turns a webhook off, kept apart from the app (shared by every worker). */
export interface WebhookFailureStreaks {
  /** Forgets the app's run of failures: its webhook was turned back on or points somewhere new. */
  reset(appId: string): Promise<void>;
}

/** What a change names of one variant: a provider block to set, or null to remove it; the rest stays. */
export interface VariantChange {
  fcm?: FcmServiceAccount | null;
  apns?: ApnsCredentials | null;
  webpush?: WebPushSettings | null;
}

/** How many variants an app may have: a build per white-label customer and a staging one or two. */
export const maxVariants = 20;

/** Web Push as an app sets it up: its subject, and its own VAPID key pair or none (the gateway makes one). */
export interface WebPushSettings {
  subject: string;
  keys?: VapidKeys;
}

/**
 * A change to an app; of its webhook, only the settings that change need be named; of its
 * variants, only those that change (null removes one).
 */
export type AppPatch = Partial<Omit<AppInput, "webhook" | "variants">> & {
  webhook?: WebhookChange | null;
  variants?: Record<string, VariantChange | null>;
};

export interface RotatedSecret {
  secret: string;
  previousValidUntil: Date;
}

/** Checks a webhook target before it is stored, rejecting with the reason; the SSRF guard plugs in here. */
export type WebhookUrlCheck = (url: string) => Promise<void>;

export interface AppServiceOptions {
  rotationOverlapSeconds: number;
  /** The call timeout of a webhook set up without one. */
  defaultWebhookTimeoutMs: number;
  checkWebhookUrl: WebhookUrlCheck;
  webhookFailures: WebhookFailureStreaks;
  clock: Clock;
}

const secretGenerators: Record<SecretKind, () => string> = {
  server_key: newServerKey,
  event_secret: newWebhookSecret,
  webhook_secret: newWebhookSecret,
};

export class AppService {
  constructor(
    private readonly apps: AppRepository,
    private readonly options: AppServiceOptions,
  ) {}

  async create(input: AppInput): Promise<{ app: App; secrets: AppSecrets }> {
    await this.checkConsistency(input);
    if (input.statusCallback) await this.checkStatusCallbackUrl(input.statusCallback);
    const now = this.options.clock.now();
    const app: App = {
      id: newId("app"),
      apiKey: newApiKey(),
      ...input,
      webhook: input.webhook && {
        ...settingsOf(input.webhook),
        disabled: input.webhook.enabled ? null : this.operatorDisabled(),
      },
      webpush: webPushAfter(null, input.webpush, "webpush"),
      variants: variantsAfter({}, input.variants),
      createdAt: now,
      updatedAt: now,
    };
    const secrets: AppSecrets = {
      serverKey: newServerKey(),
      eventSecret: newWebhookSecret(),
      webhookSecret: newWebhookSecret(),
    };
    await this.apps.create(app, secrets);
    return { app, secrets };
  }

  async get(id: string): Promise<App> {
    const app = await this.apps.findById(id);
    if (!app) throw new NotFoundError(`app ${id} does not exist`);
    return app;
  }

  list(): Promise<App[]> {
    return this.apps.list();
  }

  async update(id: string, patch: AppPatch): Promise<App> {
    const current = await this.get(id);
    const { webhook, webpush, variants, ...settings } = patch;
    const change: Partial<Omit<App, "webpush" | "variants">> = settings;
    const webhookChange = webhook === undefined ? undefined : this.webhookAfter(current.webhook, webhook);
    if (webhookChange) change.webhook = webhookChange.settings;
    await this.checkConsistency({ ...current, ...change }, change.webhook !== undefined);
    if (change.statusCallback) await this.checkStatusCallbackUrl(change.statusCallback);
    const updated = await this.apps.update(id, {
      ...change,
      ...(webhookChange?.disabled !== undefined && { webhookDisabled: webhookChange.disabled }),
      ...(webpush !== undefined && { webpush: webPushAfter(current.webpush, webpush, "webpush") }),
      ...(variants !== undefined && { variants: variantsAfter(current.variants, variants) }),
      updatedAt: this.options.clock.now(),
    });
    if (!updated) throw new NotFoundError(`app ${id} does not exist`);
    if (webhookChange?.resetsFailures) await this.options.webhookFailures.reset(id);
    return updated;
  }

  /**
   * The webhook a change leaves: the settings it names over the current ones, or the defaults;
   * whether it turns the webhook on or off (undefined: neither); whether the run of failures
   * that turns it off starts again (it is turned on, or points somewhere new).
   */
  private webhookAfter(
    current: WebhookSettings | null,
    change: WebhookChange | null,
  ): { settings: WebhookSettings | null; disabled?: WebhookDisabled | null; resetsFailures: boolean } {
    if (change === null) return { settings: null, disabled: null, resetsFailures: true };
    const url = change.url ?? current?.url;
    if (!url) {
      throw new InvalidInputError("a new webhook needs its URL", [
        { path: "webhook.url", message: "is required" },
      ]);
    }
    const settings = settingsOf({
      url,
      timeoutMs: change.timeoutMs ?? current?.timeoutMs ?? this.options.defaultWebhookTimeoutMs,
      fallback: change.fallback ?? current?.fallback ?? "drop",
      eventTypes: change.eventTypes !== undefined ? change.eventTypes : (current?.eventTypes ?? null),
      otherEvents: change.otherEvents ?? current?.otherEvents ?? "direct",
      disableAfterFailures:
        change.disableAfterFailures ??
        current?.disableAfterFailures ??
        webhookBreakerDefaults.disableAfterFailures,
      disableAfterMinutes:
        change.disableAfterMinutes ??
        current?.disableAfterMinutes ??
        webhookBreakerDefaults.disableAfterMinutes,
    });
    const disabledNow = current?.disabled ?? null;
    const disabled =
      change.enabled === true
        ? null
        : change.enabled === false && !disabledNow
          ? this.operatorDisabled()
          : undefined;
    return {
      settings: { ...settings, disabled: disabled === undefined ? disabledNow : disabled },
      disabled,
      resetsFailures: change.enabled === true || url !== current?.url,
    };
  }

  private operatorDisabled(): WebhookDisabled {
    return { at: this.options.clock.now(), reason: operatorDisabledReason, by: "operator" };
  }

  async delete(id: string): Promise<void> {
    if (!(await this.apps.delete(id))) throw new NotFoundError(`app ${id} does not exist`);
  }

  async rotateSecret(id: string, kind: SecretKind): Promise<RotatedSecret> {
    await this.get(id);
    const secret = secretGenerators[kind]();
    const previousValidUntil = new Date(
      this.options.clock.now().getTime() + this.options.rotationOverlapSeconds * 1000,
    );
    await this.apps.rotateSecret(id, kind, secret, previousValidUntil);
    return { secret, previousValidUntil };
  }

  /** The status callback URL is called like the webhook: the same targets are refused. */
  private async checkStatusCallbackUrl(callback: StatusCallbackSettings): Promise<void> {
    await this.options.checkWebhookUrl(callback.url).catch((error: Error) => {
      throw new InvalidInputError("the status callback URL is refused", [
        { path: "status_callback.url", message: error.message },
      ]);
    });
  }

  private async checkConsistency(
    app: Pick<AppInput, "mode"> & { webhook: { url: string } | null },
    webhookChanged = true,
  ): Promise<void> {
    if (app.mode === "webhook" && !app.webhook) {
      throw new InvalidInputError("webhook mode needs a webhook", [
        { path: "webhook.url", message: "is required when mode is webhook" },
      ]);
    }
    if (app.webhook && webhookChanged) {
      const url = app.webhook.url;
      await this.options.checkWebhookUrl(url).catch((error: Error) => {
        throw new InvalidInputError("the webhook URL is refused", [
          { path: "webhook.url", message: error.message },
        ]);
      });
    }
  }
}

/** The webhook's settings, without whether it is on. */
function settingsOf(
  input: Omit<WebhookInput, "enabled"> & { enabled?: boolean },
): Omit<WebhookSettings, "disabled"> {
  return {
    url: input.url,
    timeoutMs: input.timeoutMs,
    fallback: input.fallback,
    eventTypes: input.eventTypes,
    otherEvents: input.otherEvents,
    disableAfterFailures: input.disableAfterFailures,
    disableAfterMinutes: input.disableAfterMinutes,
  };
}

/**
 * The Web Push credentials a setting leaves: the key pair it brings, else the one the app has
 * (browsers' subscriptions are bound to it: a new subject must not void them), else a new one.
 */
function webPushAfter(
  current: WebPushCredentials | null,
  settings: WebPushSettings | null,
  path: string,
): WebPushCredentials | null {
  if (settings === null) return null;
  if (settings.keys) {
    const problem = vapidKeysProblem(settings.keys);
    if (problem)
      throw new InvalidInputError("the VAPID key pair is refused", [
        { path: `${path}.${problem.field}`, message: problem.message },
      ]);
  }
  const keys =
    settings.keys ??
    (current && { publicKey: current.vapidPublicKey, privateKey: current.vapidPrivateKey }) ??
    generateVapidKeys();
  return { subject: settings.subject, vapidPublicKey: keys.publicKey, vapidPrivateKey: keys.privateKey };
}

/** The variants a change leaves: each one it names changed block by block, or removed; the others as they were. */
function variantsAfter(
  current: Record<string, AppVariant>,
  changes: Record<string, VariantChange | null>,
): Record<string, AppVariant> {
  const next = { ...current };
  for (const [name, change] of Object.entries(changes)) {
    if (change === null) {
      delete next[name];
      continue;
    }
    const was = current[name] ?? { fcm: null, apns: null, webpush: null };
    next[name] = {
      fcm: change.fcm === undefined ? was.fcm : change.fcm,
      apns: change.apns === undefined ? was.apns : change.apns,
      webpush:
        change.webpush === undefined
          ? was.webpush
          : webPushAfter(was.webpush, change.webpush, `variants.${name}.webpush`),
    };
  }
  if (Object.keys(next).length > maxVariants)
    throw new InvalidInputError("too many variants", [
      { path: "variants", message: `an app has at most ${maxVariants} variants` },
    ]);
  return next;
}

import type { RecipientToken } from "../../domain/audience/audience.js";
import type { PushTarget } from "../../providers/push-provider.js";

/**
 * The tokens a notification goes to, each once. VoIP tokens serve calls only; a call
 * reaches an iOS device through its VoIP token when it has one.
 */
export function selectTargets(tokens: RecipientToken[], call: boolean): PushTarget[] {
  const devicesWithVoip = new Set(tokens.filter((token) => token.voip).map((token) => token.deviceId));
  const targets = new Map<string, PushTarget>();
  for (const token of tokens) {
    const wanted = call ? token.voip || !devicesWithVoip.has(token.deviceId) : !token.voip;
    if (wanted && !targets.has(token.token))
      targets.set(token.token, {
        provider: token.provider,
        token: token.token,
        userId: token.userId,
        ...(token.clientDeviceId !== null && { deviceId: token.clientDeviceId }),
        locale: token.locale,
        ...(token.keys && { keys: token.keys }),
        ...(token.variant && { variant: token.variant }),
      });
  }
  return [...targets.values()];
}

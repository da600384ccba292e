import type { RecipientToken } from "../../domain/audience/audience.js";
import type { DeviceTokensResponse } from "../schemas/devices.js";

/** The caller's tokens by platform, VoIP tokens apart, and the language of each. */
export function presentDeviceTokens(tokens: RecipientToken[]): DeviceTokensResponse {
  const grouped: DeviceTokensResponse = {
    ios: [],
    android: [],
    web: [],
    voip: [],
    // Own properties even for a token spelled like an Object.prototype key.
    locales: Object.fromEntries(tokens.map((token) => [token.token, token.locale])),
  };
  for (const token of tokens) grouped[token.voip ? "voip" : token.platform].push(token.token);
  return grouped;
}

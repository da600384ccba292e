import type { RecipientToken } from "../../domain/audience/audience.js";
import type { DeviceTokensResponse } from "../schemas/devices.js";

/** The caller's tokens by platform, VoIP tokens apart. */
export function presentDeviceTokens(tokens: RecipientToken[]): DeviceTokensResponse {
  const grouped: DeviceTokensResponse = { ios: [], android: [], web: [], voip: [] };
  for (const token of tokens) grouped[token.voip ? "voip" : token.platform].push(token.token);
  return grouped;
}

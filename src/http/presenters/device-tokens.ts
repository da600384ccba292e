import type { RecipientToken } from "../../domain/audience/audience.js";

/** SPEC §5.3: the caller's tokens by platform, VoIP tokens apart. */
export function presentDeviceTokens(tokens: RecipientToken[]) {
  const grouped = { ios: [] as string[], android: [] as string[], web: [] as string[], voip: [] as string[] };
  for (const token of tokens) grouped[token.voip ? "voip" : token.platform].push(token.token);
  return grouped;
}

/** Who leaves and who joins when a channel's members become `wanted`. */
export interface MembershipChange {
  leaving: string[];
  joining: string[];
}

/**
 * The smallest change from `current` to `wanted`: most events carry the member list the
 * channel already has, and then nothing is written at all.
 */
export function membershipChange(current: readonly string[], wanted: readonly string[]): MembershipChange {
  const wantedSet = new Set(wanted);
  const currentSet = new Set(current);
  return {
    leaving: current.filter((userId) => !wantedSet.has(userId)),
    joining: [...wantedSet].filter((userId) => !currentSet.has(userId)),
  };
}

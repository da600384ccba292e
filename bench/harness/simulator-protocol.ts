import type { SimulatedAppCredentials, Simulators, TokenBehaviour } from "../../src/simulators/simulators.js";

/** What the bench asks of the simulator host, each answered by a `reply` with the same id. */
export type HostRequest =
  | { kind: "register-app"; id: number }
  | { kind: "script"; id: number; tokens: string[]; behaviour: TokenBehaviour }
  /** Answered once every notification accepted so far has been sent over. */
  | { kind: "flush"; id: number };

/** `[simulator, token, event id, accepted at (ms)]`: compact, there are tens of thousands. */
export type ArrivalTuple = [string, string, string, number];

export type HostMessage =
  | { kind: "ready"; env: Simulators["env"] }
  | { kind: "reply"; id: number; credentials?: SimulatedAppCredentials }
  | { kind: "arrivals"; arrivals: ArrivalTuple[] };

import type {
  Outage,
  SimulatedAppCredentials,
  Simulators,
  TokenBehaviour,
  WebPushSubscription,
} from "../../src/simulators/simulators.js";

/** What the bench asks of the simulator host, each answered by a `reply` with the same id. */
export type HostRequest =
  | { kind: "register-app"; id: number }
  | { kind: "script"; id: number; tokens: string[]; behaviour: TokenBehaviour }
  | { kind: "outage"; id: number; outage: Outage | null }
  /** Answered once every notification accepted so far has been sent over. */
  | { kind: "flush"; id: number }
  /** `count` browsers' subscriptions on the Web Push simulator, made with the app's VAPID key. */
  | { kind: "subscribe-webpush"; id: number; count: number; applicationServerKey: string };

/** `[simulator, token, event id, accepted at (ms)]`: compact, there are tens of thousands. */
export type ArrivalTuple = [string, string, string, number];

export type HostMessage =
  | { kind: "ready"; env: Simulators["env"] }
  | {
      kind: "reply";
      id: number;
      credentials?: SimulatedAppCredentials;
      subscriptions?: WebPushSubscription[];
    }
  | { kind: "arrivals"; arrivals: ArrivalTuple[] };

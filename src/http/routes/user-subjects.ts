import type { Request, RequestHandler } from "express";
import { z } from "zod";
import type { AppService } from "../../domain/apps/app-service.js";
import { type Authenticator, sessionOf } from "../middleware/auth.js";
import { userIdSchema } from "../schemas/identifiers.js";

/** Whose data a request reads or writes. */
export type Subject = (req: Request) => Promise<{ appId: string; userId: string }>;

/** A user's routes exist twice: under `/v1/users/@me` for the user, under `/v1/apps/{app_id}/users/{user_id}` for the customer's server. */
export interface UserRoutePrefix {
  prefix: string;
  authorize: RequestHandler;
  subjectOf: Subject;
  /** The client's own routes, whose writes a session's budget limits; the customer server's are not. */
  bySession: boolean;
}

const userParams = z.object({ user_id: userIdSchema });

/** The two prefixes of a user's routes, each with its credential and the user it names. */
export function userRoutePrefixes(apps: AppService, auth: Authenticator): UserRoutePrefix[] {
  const signedInUser: Subject = async (req) => {
    const session = sessionOf(req);
    return { appId: session.appId, userId: session.userId };
  };
  const namedUser: Subject = async (req) => {
    const { user_id: userId } = userParams.parse(req.params);
    const app = await apps.get(req.params.app_id as string);
    return { appId: app.id, userId };
  };
  return [
    { prefix: "/v1/users/@me", authorize: auth.requireSession, subjectOf: signedInUser, bySession: true },
    {
      prefix: "/v1/apps/:app_id/users/:user_id",
      authorize: auth.requireAppAccess,
      subjectOf: namedUser,
      bySession: false,
    },
  ];
}

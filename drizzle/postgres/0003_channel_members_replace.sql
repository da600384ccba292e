-- Written by hand: one round trip replaces a channel's members. The advisory lock makes two
-- replacements of one channel apply one after the other; each statement after it reads what
-- the other committed (READ COMMITTED takes a snapshot per statement), so the result is one
-- of the two lists, never a mix. Called outside a transaction, the lock ends with the call.
CREATE FUNCTION "pushgate_replace_channel_members"(p_app_id text, p_channel_id text, p_user_ids text[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('pushgate.channel_members'), hashtext(p_app_id || '/' || p_channel_id));
  DELETE FROM "channel_members"
    WHERE "app_id" = p_app_id AND "channel_id" = p_channel_id AND "user_id" <> ALL (p_user_ids);
  INSERT INTO "channel_members" ("app_id", "channel_id", "user_id")
    SELECT p_app_id, p_channel_id, member FROM unnest(p_user_ids) AS member
    ON CONFLICT DO NOTHING;
END
$$;

/**
 * A Lua script run in Redis, one per file in this folder, its text opening with what KEYS and
 * ARGV hold. They are TypeScript modules so that the build carries them into dist/ as it is.
 */
export interface LuaScript {
  /** Without it, each call says how many of its arguments are keys. */
  numberOfKeys?: number;
  lua: string;
}

import {
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  json,
  jsonb,
  type PgColumn,
  type PgColumnBuilderBase,
  type PgTable,
  type PgTableExtraConfigValue,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { buildTables, type ColumnBuilder, type Dialect } from "./build.js";
import * as tables from "./tables.js";

interface PgBuilder extends PgColumnBuilderBase, ColumnBuilder<PgBuilder, PgColumn> {}

const postgres: Dialect<PgBuilder, PgColumn, PgTableExtraConfigValue, PgTable> = {
  column(name, type) {
    switch (type.kind) {
      case "text":
        return text(name, { enum: type.enum });
      case "integer":
        return integer(name);
      case "boolean":
        return boolean(name);
      case "timestamp":
        return timestamp(name, { withTimezone: true, mode: "date" });
      case "json":
        return json(name);
      case "jsonb":
        return jsonb(name);
      case "autoIncrementId":
        return bigint(name, { mode: "number" }).primaryKey().generatedAlwaysAsIdentity();
    }
  },
  table: pgTable,
  index,
  uniqueIndex,
  primaryKey,
  foreignKey,
};

export const {
  apps,
  appSecrets,
  sessions,
  devices,
  deviceTokens,
  deviceSyncUsers,
  events,
  channelMembers,
  webhookAttempts,
  eventDeliveries,
  eventJobs,
  notificationSettings,
  notificationTemplates,
} = buildTables(tables, postgres);

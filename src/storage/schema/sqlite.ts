import {
  foreignKey,
  index,
  integer,
  primaryKey,
  type SQLiteColumn,
  type SQLiteColumnBuilderBase,
  type SQLiteTable,
  type SQLiteTableExtraConfigValue,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { buildTables, type ColumnBuilder, type Dialect } from "./build.js";
import * as tables from "./tables.js";

interface SQLiteBuilder extends SQLiteColumnBuilderBase, ColumnBuilder<SQLiteBuilder, SQLiteColumn> {}

const sqlite: Dialect<SQLiteBuilder, SQLiteColumn, SQLiteTableExtraConfigValue, SQLiteTable> = {
  column(name, type) {
    switch (type.kind) {
      case "text":
        return text(name, { enum: type.enum });
      case "integer":
        return integer(name);
      case "boolean":
        return integer(name, { mode: "boolean" });
      case "timestamp":
        return integer(name, { mode: "timestamp_ms" });
      case "json":
      case "jsonb":
        return text(name, { mode: "json" });
      case "autoIncrementId":
        return integer(name).primaryKey({ autoIncrement: true });
    }
  },
  table: sqliteTable,
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
} = buildTables(tables, sqlite);

import { sql } from "drizzle-orm";
import type { NotificationTemplate, TemplateEventType } from "../../domain/templates/template.js";
import type { StoredTemplate, TemplateRepository } from "../../domain/templates/template-repository.js";
import type { SqlDatabase } from "../sql/database.js";
import { statement } from "../sql/statement.js";
import { readJson, readTime } from "../sql/values.js";

interface TemplateRow {
  event_type: TemplateEventType;
  template: unknown;
  updated_at: unknown;
}

type OfType = { appId: string; eventType: string };

const findOne = statement<OfType, TemplateRow>(
  "templates.find",
  (p) => sql`select event_type, template, updated_at from notification_templates
    where app_id = ${p.appId} and event_type = ${p.eventType}`,
);

const listAll = statement<{ appId: string }, TemplateRow>(
  "templates.list",
  (p) => sql`select event_type, template, updated_at from notification_templates
    where app_id = ${p.appId} order by event_type`,
);

/** The template travels as JSON text in a one-row JSON parameter: SQLite keeps it as text, PostgreSQL as jsonb. */
const upsert = statement<OfType & { rows: string }>(
  "templates.upsert",
  (p, d) => sql`insert into notification_templates (app_id, event_type, template, updated_at)
    select cast(${p.appId} as text), cast(${p.eventType} as text), r.template, r.updated_at
    from ${d.jsonRows(p.rows, { template: "json", updated_at: "time" })} as r
    where true
    on conflict (app_id, event_type) do update set template = excluded.template, updated_at = excluded.updated_at`,
);

const deleteOne = statement<OfType>(
  "templates.delete",
  (p) => sql`delete from notification_templates where app_id = ${p.appId} and event_type = ${p.eventType}`,
);

function toStored(row: TemplateRow): StoredTemplate {
  return {
    eventType: row.event_type,
    template: readJson<NotificationTemplate>(row.template),
    updatedAt: readTime(row.updated_at),
  };
}

export class SqlTemplateRepository implements TemplateRepository {
  constructor(private readonly db: SqlDatabase) {}

  async find(appId: string, eventType: TemplateEventType): Promise<StoredTemplate | null> {
    const row = await this.db.get(findOne, { appId, eventType });
    return row ? toStored(row) : null;
  }

  async list(appId: string): Promise<StoredTemplate[]> {
    return (await this.db.all(listAll, { appId })).map(toStored);
  }

  async put(
    appId: string,
    eventType: TemplateEventType,
    template: NotificationTemplate,
    at: Date,
  ): Promise<StoredTemplate> {
    const rows = JSON.stringify([{ template, updated_at: at.getTime() }]);
    await this.db.run(upsert, { appId, eventType, rows });
    return { eventType, template, updatedAt: at };
  }

  async delete(appId: string, eventType: TemplateEventType): Promise<boolean> {
    return (await this.db.run(deleteOne, { appId, eventType })) > 0;
  }
}

import { getTableColumns, type Table } from "drizzle-orm";
import type { ColumnSpec, ColumnType, ExtraSpec, NonEmpty, OnDelete, TableSpec } from "./spec.js";

/** The calls every drizzle column builder answers, whatever its dialect. */
export interface ColumnBuilder<Builder, Column> {
  notNull(): Builder;
  primaryKey(): Builder;
  default(value: unknown): Builder;
  references(column: () => Column, actions: { onDelete: OnDelete }): Builder;
}

/**
 * What a database makes of each word of spec.ts, in its own drizzle builders: `Column` is
 * its column type, `Extra` what its table's extra config (indexes, keys) returns.
 */
export interface Dialect<
  Builder extends ColumnBuilder<Builder, Column>,
  Column,
  Extra,
  BuiltTable extends Table,
> {
  column(name: string, type: ColumnType): Builder;
  /** `extras` receives the table's columns as drizzle hands them to its extra config. */
  table(
    name: string,
    columns: Record<string, Builder>,
    extras: (columns: Record<string, Column>) => Extra[],
  ): BuiltTable;
  index(name: string): { on(...columns: NonEmpty<Column>): Extra };
  uniqueIndex(name: string): { on(...columns: NonEmpty<Column>): Extra };
  primaryKey(config: { columns: NonEmpty<Column> }): Extra;
  foreignKey(config: { columns: NonEmpty<Column>; foreignColumns: NonEmpty<Column> }): {
    onDelete(action: OnDelete): Extra;
  };
}

const mapNonEmpty = <T, U>([first, ...rest]: NonEmpty<T>, map: (item: T) => U): NonEmpty<U> => [
  map(first),
  ...rest.map(map),
];

/** The drizzle tables of `specs` in one dialect, under the same keys. */
export function buildTables<
  Builder extends ColumnBuilder<Builder, Column>,
  Column,
  Extra,
  BuiltTable extends Table,
  Specs extends Record<string, TableSpec>,
>(specs: Specs, dialect: Dialect<Builder, Column, Extra, BuiltTable>): Record<keyof Specs, BuiltTable> {
  /** The table column each spec became, for references from other tables. */
  const builtColumns = new Map<ColumnSpec, Column>();
  const builtColumn = (spec: ColumnSpec): Column => {
    const column = builtColumns.get(spec);
    if (column === undefined) throw new Error(`column ${spec.name} belongs to no table of the schema`);
    return column;
  };

  const buildColumn = ({ name, type, options }: ColumnSpec): Builder => {
    let column = dialect.column(name, type);
    if (options.notNull) column = column.notNull();
    if (options.primaryKey) column = column.primaryKey();
    if (options.default !== undefined) column = column.default(options.default);
    const { references } = options;
    if (references) {
      column = column.references(() => builtColumn(references.column()), { onDelete: references.onDelete });
    }
    return column;
  };

  const buildExtra = (extra: ExtraSpec, ownColumn: (column: ColumnSpec) => Column): Extra => {
    switch (extra.kind) {
      case "index":
        return (extra.unique ? dialect.uniqueIndex : dialect.index)(extra.name).on(
          ...mapNonEmpty(extra.columns, ownColumn),
        );
      case "primaryKey":
        return dialect.primaryKey({ columns: mapNonEmpty(extra.columns, ownColumn) });
      case "foreignKey":
        return dialect
          .foreignKey({
            columns: mapNonEmpty(extra.columns, ownColumn),
            foreignColumns: mapNonEmpty(extra.foreignColumns, builtColumn),
          })
          .onDelete(extra.onDelete);
    }
  };

  const buildTable = (spec: TableSpec): BuiltTable => {
    const columns = Object.entries(spec.columns);
    const keyOf = new Map(columns.map(([key, column]) => [column, key]));
    const table = dialect.table(
      spec.name,
      Object.fromEntries(columns.map(([key, column]) => [key, buildColumn(column)])),
      (own) => {
        const ownColumn = (column: ColumnSpec): Column => {
          const key = keyOf.get(column);
          const built = key === undefined ? undefined : own[key];
          if (built === undefined) throw new Error(`column ${column.name} is not one of table ${spec.name}`);
          return built;
        };
        return spec.extras.map((extra) => buildExtra(extra, ownColumn));
      },
    );
    const tableColumns: Record<string, unknown> = getTableColumns(table);
    for (const [key, column] of columns) builtColumns.set(column, tableColumns[key] as Column);
    return table;
  };

  return Object.fromEntries(Object.entries(specs).map(([key, spec]) => [key, buildTable(spec)])) as Record<
    keyof Specs,
    BuiltTable
  >;
}

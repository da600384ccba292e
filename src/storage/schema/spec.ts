/**
 * The words tables.ts describes the tables in, the same for SQLite and PostgreSQL;
 * sqlite.ts and postgres.ts say what each word becomes in their database.
 */

export type NonEmpty<T> = [T, ...T[]];

export type OnDelete = "cascade" | "set null";

export type ColumnType =
  | { readonly kind: "text"; readonly enum?: readonly [string, ...string[]] }
  | { readonly kind: "integer" }
  | { readonly kind: "boolean" }
  /** A point in time, read and written as a JS `Date`. */
  | { readonly kind: "timestamp" }
  /** JSON kept as written (PostgreSQL `json`: key order survives). */
  | { readonly kind: "json" }
  /** JSON PostgreSQL may normalize (`jsonb`). */
  | { readonly kind: "jsonb" }
  /** The table's primary key, numbered by the database. */
  | { readonly kind: "autoIncrementId" };

export type ColumnDefault = number | string | Record<string, never>;

export interface ColumnOptions {
  readonly notNull?: boolean;
  readonly primaryKey?: boolean;
  readonly default?: ColumnDefault;
  readonly references?: { readonly column: () => ColumnSpec; readonly onDelete: OnDelete };
}

export class ColumnSpec {
  constructor(
    readonly name: string,
    readonly type: ColumnType,
    readonly options: ColumnOptions = {},
  ) {}

  notNull(): ColumnSpec {
    return this.with({ notNull: true });
  }

  primaryKey(): ColumnSpec {
    return this.with({ primaryKey: true });
  }

  default(value: ColumnDefault): ColumnSpec {
    return this.with({ default: value });
  }

  references(column: () => ColumnSpec, { onDelete }: { onDelete: OnDelete }): ColumnSpec {
    return this.with({ references: { column, onDelete } });
  }

  private with(options: ColumnOptions): ColumnSpec {
    return new ColumnSpec(this.name, this.type, { ...this.options, ...options });
  }
}

export const text = (name: string, options: { enum?: readonly [string, ...string[]] } = {}) =>
  new ColumnSpec(name, { kind: "text", ...options });
export const integer = (name: string) => new ColumnSpec(name, { kind: "integer" });
export const boolean = (name: string) => new ColumnSpec(name, { kind: "boolean" });
export const timestamp = (name: string) => new ColumnSpec(name, { kind: "timestamp" });
export const json = (name: string) => new ColumnSpec(name, { kind: "json" });
export const jsonb = (name: string) => new ColumnSpec(name, { kind: "jsonb" });
export const autoIncrementId = (name: string) => new ColumnSpec(name, { kind: "autoIncrementId" });

export type ExtraSpec =
  | {
      readonly kind: "index";
      readonly name: string;
      readonly unique: boolean;
      readonly columns: NonEmpty<ColumnSpec>;
    }
  | { readonly kind: "primaryKey"; readonly columns: NonEmpty<ColumnSpec> }
  | {
      readonly kind: "foreignKey";
      readonly columns: NonEmpty<ColumnSpec>;
      readonly foreignColumns: NonEmpty<ColumnSpec>;
      readonly onDelete: OnDelete;
    };

export const index = (name: string, ...columns: NonEmpty<ColumnSpec>): ExtraSpec => ({
  kind: "index",
  name,
  unique: false,
  columns,
});
export const uniqueIndex = (name: string, ...columns: NonEmpty<ColumnSpec>): ExtraSpec => ({
  kind: "index",
  name,
  unique: true,
  columns,
});
export const primaryKey = (...columns: NonEmpty<ColumnSpec>): ExtraSpec => ({ kind: "primaryKey", columns });
export const foreignKey = (
  columns: NonEmpty<ColumnSpec>,
  foreignColumns: NonEmpty<ColumnSpec>,
  { onDelete }: { onDelete: OnDelete },
): ExtraSpec => ({ kind: "foreignKey", columns, foreignColumns, onDelete });

export interface TableSpec<Columns extends Record<string, ColumnSpec> = Record<string, ColumnSpec>> {
  readonly name: string;
  readonly columns: Columns;
  readonly extras: readonly ExtraSpec[];
}

export const defineTable = <Columns extends Record<string, ColumnSpec>>(
  name: string,
  columns: Columns,
  extras: (columns: Columns) => ExtraSpec[] = () => [],
): TableSpec<Columns> => ({ name, columns, extras: extras(columns) });

/** One row of a {@link tableOf} table: each column name holds the value at its position. */
export type TableRow<Columns extends readonly string[], Row extends readonly unknown[]> = {
  readonly [I in keyof Columns & `${number}` as Columns[I]]: I extends keyof Row ? Row[I] : undefined;
};

/**
 * A code table written once as compact rows under one header and read as objects: `tableOf(["id", "label"],
 * [[1, "Treatment"]])` is `[{ id: 1, label: "Treatment" }]`, with the literal types kept so that key and id
 * unions can be derived from it. Tables stay one row a line instead of repeating every field name per row.
 */
export function tableOf<const Columns extends readonly string[], const Rows extends readonly (readonly unknown[])[]>(
  columns: Columns,
  rows: Rows,
): { readonly [N in keyof Rows]: TableRow<Columns, Rows[N]> } {
  return rows.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i]]))) as never;
}

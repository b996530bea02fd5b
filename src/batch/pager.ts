/** Walking a job's rows in input order, one page in memory at a time (keyset on the row ordinal). */
export async function* byOrdinal<T extends { ordinal: number }>(page: (after: number, limit: number) => Promise<T[]>, size: number): AsyncGenerator<T> {
  for (let after = -1; ; ) {
    const rows = await page(after, size);
    if (!rows.length) return;
    yield* rows;
    after = rows[rows.length - 1]!.ordinal;
  }
}

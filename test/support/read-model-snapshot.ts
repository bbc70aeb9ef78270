import { EntitySchema, ObjectLiteral } from 'typeorm';
import { ReadModelStore } from '../../src/read-models/read-model-data-source';

/** Every read-model row, sorted, as JSON: what a reporting tool would read. */
export async function snapshotReadModels(readModels: ReadModelStore, options: { withLedgerState?: boolean } = {}): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const [name, entity] of Object.entries(readModels.entities) as Array<[string, EntitySchema<ObjectLiteral>]>) {
    if (name === 'Checkpoint' || (name === 'LedgerState' && !options.withLedgerState)) continue;
    const rows = await readModels.dataSource.manager.find(entity);
    result[name] = rows
      .map((row) => JSON.parse(JSON.stringify(name === 'LedgerState' ? { ...row, updatedAt: undefined } : row)))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return result;
}

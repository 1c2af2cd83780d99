import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row (id 1): how many undo batches have deleted or given back rows so far. See
 * src/undo/fence.ts for how imports and undos use it.
 */
@Entity('data_generation')
export class DataGeneration {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ type: 'int', default: 0 })
  generation: number;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The key of a record a snapshot job read (`k1`, and `k2` for two-part keys): what its file
 * has, so that the rows of its data set it no longer has can be retired once it is read. Kept
 * until the job's retirements are done.
 */
@Entity('import_sync_keys')
@Index('ix_import_sync_keys_job', ['jobId', 'scope', 'k1', 'k2'])
export class SyncKey {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  jobId: number;

  /** The table the key is of (SyncTable). */
  @Column({ type: 'varchar', length: 20 })
  scope: string;

  @Column({ type: 'varchar', length: 100 })
  k1: string;

  @Column({ type: 'varchar', length: 100, default: '' })
  k2: string;
}

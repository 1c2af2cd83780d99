import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The values a row had before an import job updated it, so that the job can be undone. */
@Entity('import_row_versions')
@Index('ix_import_row_versions_job', ['jobId'])
@Index('ix_import_row_versions_row', ['tableName', 'rowId', 'jobId'])
export class RowVersion {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  jobId: number;

  @Column({ type: 'varchar', length: 64 })
  tableName: string;

  @Column({ type: 'int' })
  rowId: number;

  /** The line of the job's file that updated the row. */
  @Column({ type: 'int', nullable: true })
  line: number | null;

  /** JSON of the changed columns' previous values. */
  @Column({ type: 'simple-json' })
  previous: Record<string, unknown>;

  @CreateDateColumn()
  createdAt: Date;
}

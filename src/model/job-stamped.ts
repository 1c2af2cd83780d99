import { Column, CreateDateColumn, UpdateDateColumn } from 'typeorm';

/**
 * Columns every imported row carries: which job created it and which job changed it last,
 * so that an import can be traced and undone (previous values go to import_row_versions).
 */
export abstract class JobStamped {
  @Column({ type: 'int', nullable: true })
  createdJobId: number | null;

  /** The line of the creating job's file the row came from (named by the undo's conflicts). */
  @Column({ type: 'int', nullable: true })
  createdLine: number | null;

  @Column({ type: 'int', nullable: true })
  updatedJobId: number | null;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}

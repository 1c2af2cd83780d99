import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { LessonStatus } from './codes';
import { JobStamped } from './job-stamped';

/** One attempt ("session") of a learner at a course item. */
@Entity('lesson_statistics')
@Index('uq_lesson_statistics_session', ['learnerId', 'itemId', 'session'], { unique: true })
@Index('ix_lesson_statistics_item', ['itemId'])
export class LessonStatistic extends JobStamped {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  learnerId: number;

  @Column({ type: 'int' })
  itemId: number;

  @Column({ type: 'int' })
  session: number;

  @Column({ type: 'varchar', length: 1 })
  status: LessonStatus;

  @Column({ type: 'date' })
  statusDate: string;

  /** Out of 100. */
  @Column({ type: 'double', nullable: true })
  score: number | null;

  /** Seconds spent. */
  @Column({ type: 'int', nullable: true })
  timeSpent: number | null;

  /** Classroom (T) items: `P` when the learner was present. */
  @Column({ type: 'varchar', length: 1, nullable: true })
  iltStatus: string | null;
}

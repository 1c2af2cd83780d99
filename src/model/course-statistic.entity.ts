import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { CourseStatus } from './codes';
import { JobStamped } from './job-stamped';

/** One attempt ("session") of a learner at a course. */
@Entity('course_statistics')
@Index('uq_course_statistics_session', ['learnerId', 'courseId', 'session'], { unique: true })
@Index('ix_course_statistics_course', ['courseId'])
export class CourseStatistic extends JobStamped {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  learnerId: number;

  @Column({ type: 'int' })
  courseId: number;

  /** 1 for the first attempt, then 2, 3… */
  @Column({ type: 'int' })
  session: number;

  @Column({ type: 'varchar', length: 1 })
  status: CourseStatus;

  @Column({ type: 'date' })
  statusDate: string;

  @Column({ type: 'date', nullable: true })
  enrollmentDate: string | null;
}

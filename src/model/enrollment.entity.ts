import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { EnrollmentRole } from './codes';
import { JobStamped } from './job-stamped';

@Entity('enrollments')
@Index('uq_enrollments_learner_course', ['learnerId', 'courseId'], { unique: true })
@Index('ix_enrollments_course', ['courseId'])
export class Enrollment extends JobStamped {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  learnerId: number;

  @Column({ type: 'int' })
  courseId: number;

  @Column({ type: 'varchar', length: 1, default: 'S' })
  role: EnrollmentRole;

  /** Course availability for this learner (Y/N). */
  @Column({ type: 'boolean', default: true })
  available: boolean;

  /** `YYYY-MM-DD`, kept as a string end to end. */
  @Column({ type: 'date', nullable: true })
  enrolledOn: string | null;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { CourseKind } from './codes';
import { JobStamped } from './job-stamped';

@Entity('courses')
export class Course extends JobStamped {
  @PrimaryGeneratedColumn()
  id: number;

  /** The course's unique identifier (`crsvname`). */
  @Index('uq_courses_code', { unique: true })
  @Column({ type: 'varchar', length: 100 })
  code: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  title: string | null;

  /** Blackboard communities/organizations are courses of kind `organization`. */
  @Column({ type: 'varchar', length: 20, default: 'course' })
  kind: CourseKind;

  /** False once a sync import (SNAPSHOT) retired it: kept with its statistics, no longer offered. */
  @Column({ type: 'boolean', default: true })
  active: boolean;
}

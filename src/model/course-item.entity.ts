import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ItemType } from './codes';
import { JobStamped } from './job-stamped';

/** A lesson, assignment, webinar, classroom session or resource of a course. */
@Entity('course_items')
@Index('uq_course_items_course_code', ['courseId', 'code'], { unique: true })
export class CourseItem extends JobStamped {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  courseId: number;

  /** The item's identifier within its course (`lsnvname`). */
  @Column({ type: 'varchar', length: 100 })
  code: string;

  /** `lnk_type`: A, L, W, T or E. */
  @Column({ type: 'varchar', length: 1 })
  type: ItemType;

  @Column({ type: 'varchar', length: 255, nullable: true })
  title: string | null;

  /** False once a sync import (SNAPSHOT) retired it: kept with its statistics, no longer offered. */
  @Column({ type: 'boolean', default: true })
  active: boolean;
}

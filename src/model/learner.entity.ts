import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { JobStamped } from './job-stamped';

@Entity('learners')
export class Learner extends JobStamped {
  @PrimaryGeneratedColumn()
  id: number;

  /** The learner's unique login (`user_loginid`). */
  @Index('uq_learners_login_id', { unique: true })
  @Column({ type: 'varchar', length: 100 })
  loginId: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  firstName: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  lastName: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  /** System availability: may the learner sign in (Blackboard's Y/N). */
  @Column({ type: 'boolean', default: true })
  available: boolean;
}

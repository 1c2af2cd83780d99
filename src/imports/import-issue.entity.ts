import { GraphQLJSON } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { IssueSeverity } from './enums';

/** A problem found in a file or a record: where, how bad, a stable code and a message. */
@ObjectType({ description: 'A problem with its place in the file' })
@Entity('import_issues')
@Index('ix_import_issues_job', ['jobId', 'id'])
export class ImportIssue {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  jobId: number;

  @Field(() => String, { nullable: true, description: 'A package import (e.g. OneRoster): the member file the line is in, e.g. users.csv' })
  @Column({ type: 'varchar', length: 100, nullable: true })
  file: string | null;

  @Field(() => Int, { nullable: true, description: 'Line of the file where the record starts' })
  @Column({ type: 'int', nullable: true })
  line: number | null;

  @Field(() => String, { nullable: true, description: "The adapter's column name" })
  @Column({ type: 'varchar', length: 100, nullable: true })
  column: string | null;

  @Field(() => IssueSeverity)
  @Column({ type: 'varchar', length: 7 })
  severity: IssueSeverity;

  @Field({ description: 'Stable upper-case code, e.g. UNKNOWN_LEARNER' })
  @Column({ type: 'varchar', length: 64 })
  code: string;

  /** English message, as written at import time; `message` is localized from code and params. */
  @Column({ type: 'text' })
  message: string;

  @Field(() => GraphQLJSON, { nullable: true, description: "The values in the message, by name (e.g. CHANGE_THRESHOLD_EXCEEDED's count, total, percent, threshold): for front-ends that write their own" })
  @Column({ type: 'simple-json', nullable: true })
  params: Record<string, string | number> | null;
}

import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import { ImportMode, OnExisting } from '../imports/enums';

@InputType({ description: 'Steps 3–4 of the wizard: the options, then the import' })
export class RunImportInput {
  @Field(() => ID)
  fileId: string;

  @Field(() => OnExisting, { nullable: true, description: "Default: the adapter's default" })
  onExisting?: OnExisting | null;

  @Field(() => Boolean, { nullable: true, description: 'Enroll the learner in the course if needed (default false)' })
  enrollIfNeeded?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Validate and resolve every row, write nothing (default false)' })
  dryRun?: boolean | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'Adapter options, plus allowDuplicate (Boolean) and columnMap ({ "file header": "adapter column" })',
  })
  options?: Record<string, unknown> | null;

  @Field(() => ID, { nullable: true, description: 'The job whose rejected records this file corrects (same adapter): the new job links back to it' })
  fixesJobId?: string | null;

  @Field(() => ImportMode, { nullable: true, description: 'MERGE (default), or SNAPSHOT: the file is the whole data set, its rows no longer in the file are retired' })
  mode?: ImportMode | null;

  @Field(() => String, {
    nullable: true,
    description: 'The data set the rows this job writes belong to (required with SNAPSHOT): 1 to 100 letters, digits, ".", "_", "-"',
  })
  dataSet?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'SNAPSHOT: if the rows to retire exceed this percentage (1–100) of the data set\'s rows of a type, none is retired (CHANGE_THRESHOLD_EXCEEDED). Default 10',
  })
  changeThreshold?: number | null;
}

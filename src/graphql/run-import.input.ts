import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { OnExisting } from '../imports/enums';

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
}

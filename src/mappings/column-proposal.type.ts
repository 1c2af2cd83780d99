import { GraphQLJSON } from 'graphql-scalars';
import { Field, Float, ID, ObjectType } from 'type-graphql';
import { ColumnMatchReason } from '../imports/enums';

@ObjectType({ description: "The check step's proposal for one column of the file's header" })
export class ColumnProposal {
  @Field({ description: 'The header cell, trimmed' }) fileColumn: string;
  @Field(() => String, { nullable: true, description: 'The adapter column; null: none, the file column is ignored' }) column: string | null;
  @Field(() => ColumnMatchReason) reason: ColumnMatchReason;
  @Field(() => Float, { description: '0 to 1; a fuzzy match is below 0.8' }) confidence: number;
  @Field({ description: 'Whether the import reads the column so without options.columnMap (FUZZY: false, a proposal to confirm)' }) applied: boolean;
}

@ObjectType({ description: 'The saved column mapping an upload matched, as the check applied it' })
export class AppliedColumnMapping {
  @Field(() => ID) id: number;
  @Field() name: string;
  @Field(() => GraphQLJSON) map: Record<string, string>;
}

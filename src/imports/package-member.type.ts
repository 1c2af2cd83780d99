import { Field, Int, ObjectType } from 'type-graphql';

/** One member file of an uploaded package, as the check step found it; the job reads it so. */
@ObjectType({ description: 'A member file of an uploaded package (e.g. users.csv of a OneRoster zip)' })
export class PackageMember {
  @Field({ description: 'Its name in the package, e.g. users.csv' })
  file: string;

  @Field({ description: 'The adapter its records are imported with' })
  adapter: string;

  /** Where the member was extracted to, under DATA_DIR/uploads. */
  storedName: string;

  @Field(() => Int, { description: 'Uncompressed size' })
  size: number;

  @Field()
  encoding: string;

  @Field()
  delimiter: string;

  @Field()
  hasHeader: boolean;

  @Field(() => [String])
  columns: string[];

  /** Options the package gives this member's adapter (e.g. OneRoster's bulk or delta mode). */
  options: Record<string, unknown>;
}

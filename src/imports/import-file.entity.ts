import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { AppliedColumnMapping } from '../mappings/column-proposal.type';
import type { IssueData } from './issue-data';
import { PackageMember } from './package-member.type';

/** An uploaded file, kept as received, with what the check step found in it. */
@ObjectType({ description: 'An uploaded file and what the check step found in it' })
@Entity('import_files')
export class ImportFile {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field({ description: 'The adapter the file was uploaded for' })
  @Column({ type: 'varchar', length: 100 })
  adapter: string;

  @Field({ description: 'The name the file had on the client; data only' })
  @Column({ type: 'varchar', length: 255 })
  fileName: string;

  /** Generated name under DATA_DIR/uploads; never derived from the client's name. */
  @Column({ type: 'varchar', length: 64 })
  storedName: string;

  @Field(() => Int)
  @Column({ type: 'int' })
  size: number;

  @Field()
  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Field({ description: 'Detected encoding, e.g. utf-8, utf-16le, windows-1252; xlsx for an Excel workbook' })
  @Column({ type: 'varchar', length: 20 })
  encoding: string;

  @Field({ description: 'Detected field separator (a workbook: the separator of its rejects file, CSV)' })
  @Column({ type: 'varchar', length: 4 })
  delimiter: string;

  @Field()
  @Column({ type: 'boolean' })
  hasHeader: boolean;

  @Field(() => [String], { description: "As read from the file (or the adapter's, without a header)" })
  @Column({ type: 'simple-json' })
  columns: string[];

  @Field(() => [[String]], { description: 'The first records, decoded' })
  @Column({ type: 'simple-json' })
  preview: string[][];

  @Field(() => [String], { nullable: true, description: "An Excel workbook's sheets, in its order (null for a CSV file); options.sheet chooses one by name or position from 1, else the first with records is read" })
  @Column({ type: 'simple-json', nullable: true })
  sheets: string[] | null;

  /** File-level problems; exposed as ImportIssue through a field resolver. */
  @Column({ type: 'simple-json' })
  problems: IssueData[];

  @Field(() => AppliedColumnMapping, {
    nullable: true,
    description: 'The saved column mapping the header matched: the file was checked with it, and runImport uses it (options.columnMap entries win)',
  })
  @Column({ type: 'simple-json', nullable: true })
  savedMapping: AppliedColumnMapping | null;

  /** A package (a zip of several files): what the check step found in each member it imports, in import order. */
  @Field(() => [PackageMember], { nullable: true, description: 'A package (e.g. a OneRoster zip): its member files, in the order they are imported' })
  @Column({ type: 'simple-json', nullable: true })
  members: PackageMember[] | null;

  @Column({ type: 'int', nullable: true })
  uploadedByTokenId: number | null;

  @Field()
  @CreateDateColumn()
  createdAt: Date;
}

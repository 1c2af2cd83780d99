import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A column mapping saved by its name for an adapter (saveColumnMapping): an upload whose header has its file columns is read with it. */
@ObjectType('ColumnMapping', { description: 'A saved column mapping: file header names → adapter columns' })
@Entity('column_mappings')
@Index('uq_column_mappings_name', ['adapter', 'name'], { unique: true })
export class SavedColumnMapping {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  adapter: string;

  @Field({ description: 'Unique for the adapter' })
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Field(() => GraphQLJSON, { description: '{ "file header name": "adapter column" }' })
  @Column({ type: 'simple-json' })
  map: Record<string, string>;

  /** The map's file columns, normalized and sorted: what an upload's header is matched with. */
  @Column({ type: 'simple-json', name: 'file_columns' })
  signature: string[];

  @Column({ type: 'int', nullable: true })
  createdByTokenId: number | null;

  @Field()
  @CreateDateColumn()
  createdAt: Date;
}

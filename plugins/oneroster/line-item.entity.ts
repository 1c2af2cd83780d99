import { Column, Entity, Index, PrimaryGeneratedColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnKit, uniqueIndex } from '../../src/db/migration-columns';

/**
 * A OneRoster line item's score scale, by sourcedId: results.csv gives a score on it
 * (resultValueMin–resultValueMax), lesson statistics hold a score out of 100. The line item
 * itself is a course item of its class (catalog).
 */
@Entity('oneroster_line_items')
export class OneRosterLineItem {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('uq_oneroster_line_items_sourced_id', { unique: true })
  @Column({ type: 'varchar', length: 100 })
  sourcedId: string;

  /** The class (a catalog course code). */
  @Column({ type: 'varchar', length: 100 })
  classCode: string;

  @Column({ type: 'double', nullable: true })
  resultValueMin: number | null;

  @Column({ type: 'double', nullable: true })
  resultValueMax: number | null;
}

/** The oneroster adapter's own table. */
export class OneRosterLineItems1764950000000 implements MigrationInterface {
  name = 'OneRosterLineItems1764950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await c.createTable(
      'oneroster_line_items',
      [c.id(), c.key('sourced_id', 100), c.key('class_code', 100), c.double('result_value_min', { isNullable: true }), c.double('result_value_max', { isNullable: true })],
      [uniqueIndex('uq_oneroster_line_items_sourced_id', ['sourced_id'])],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('oneroster_line_items');
  }
}

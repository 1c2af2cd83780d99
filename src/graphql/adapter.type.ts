import { Field, Int, ObjectType } from 'type-graphql';
import type { AnyAdapter } from '../adapters/define-adapter';
import { localize, type Language } from '../i18n/localized';
import { OnExisting } from '../imports/enums';

@ObjectType({ description: 'One entry of a code table' })
export class Code {
  @Field()
  code: string;

  @Field()
  label: string;
}

@ObjectType({ description: "A column of an adapter's file format" })
export class AdapterColumn {
  @Field()
  name: string;

  @Field()
  label: string;

  @Field()
  required: boolean;

  @Field()
  description: string;

  @Field(() => [Code])
  codes: Code[];

  @Field(() => [String], { description: 'Other header names accepted for this column' })
  aliases: string[];
}

@ObjectType({ description: 'An import format, provided by an adapter plugin' })
export class Adapter {
  @Field()
  name: string;

  @Field()
  label: string;

  @Field()
  description: string;

  @Field(() => [AdapterColumn])
  columns: AdapterColumn[];

  @Field(() => [OnExisting])
  onExistingChoices: OnExisting[];

  @Field(() => OnExisting)
  defaultOnExisting: OnExisting;

  @Field({ description: 'Whether enrollIfNeeded applies to this adapter' })
  enrollIfNeeded: boolean;

  @Field({ description: 'Whether runImport mode SNAPSHOT (a sync) applies to this adapter: it says what a row absent from its file means' })
  sync: boolean;

  @Field(() => [String], { description: 'Field separators accepted' })
  delimiters: string[];

  @Field(() => Int, { description: 'Largest upload accepted for this adapter, in bytes' })
  maxUploadBytes: number;

  @Field(() => [String], { description: 'A package adapter (the upload is a zip, e.g. OneRoster): the member files it imports, in order; empty for an adapter of one file' })
  packageFiles: string[];

  /** Resolved lazily (reads the plugin's example file). */
  definition: AnyAdapter;
}

/** The GraphQL view of an adapter, in the caller's language. */
export function describeAdapter(adapter: AnyAdapter, lang: Language, maxUploadBytes: number, delimiters: readonly string[]): Adapter {
  return {
    name: adapter.name,
    label: localize(adapter.label, lang),
    description: localize(adapter.description, lang),
    columns: adapter.columns.map((column) => ({
      name: column.name,
      label: localize(column.label, lang),
      required: column.required ?? false,
      description: localize(column.description, lang),
      codes: (column.codes ?? []).map((entry) => ({ code: entry.code, label: localize(entry.label, lang) })),
      aliases: [...(column.aliases ?? [])],
    })),
    onExistingChoices: adapter.onExisting.choices.map((choice) => choice as OnExisting),
    defaultOnExisting: adapter.onExisting.default as OnExisting,
    enrollIfNeeded: adapter.enrollIfNeeded ?? false,
    sync: adapter.sync !== undefined,
    delimiters: [...delimiters],
    maxUploadBytes,
    packageFiles: adapter.package?.members.map((member) => member.file) ?? [],
    definition: adapter,
  };
}

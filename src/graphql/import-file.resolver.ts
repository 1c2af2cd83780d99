import { GraphQLUpload, type FileUpload } from 'graphql-upload-minimal';
import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/role';
import { ImportFile } from '../imports/import-file.entity';
import { ImportIssue } from '../imports/import-issue.entity';
import { ColumnProposal } from '../mappings/column-proposal.type';
import { proposeColumns } from '../pipeline/column-proposals';
import type { GraphQLContext } from './context';

@Resolver(() => ImportFile)
export class ImportFileResolver {
  @Authorized(Role.OPERATOR)
  @Mutation(() => ImportFile, {
    description: 'Steps 1–2 of the wizard: store the file and check it (encoding, separator, header, preview, problems)',
  })
  async uploadImportFile(
    @Arg('file', () => GraphQLUpload) upload: Promise<FileUpload>,
    @Arg('adapter') adapter: string,
    @Arg('hasHeader', () => Boolean, { nullable: true, description: 'Omitted: detected from the first record' })
    hasHeader: boolean | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ImportFile> {
    const { imports } = ctx.services;
    imports.adapter(adapter); // an unknown adapter is refused before the bytes are read
    const { createReadStream, filename } = await upload;
    return imports.upload({
      // Opened by the import service: it throws graphql-upload-minimal's size error when the
      // limit was reached before, which the service reports as PAYLOAD_TOO_LARGE.
      stream: () => createReadStream(),
      fileName: filename,
      adapter,
      hasHeader: hasHeader ?? null,
      tokenId: ctx.principal.tokenId,
    });
  }

  @FieldResolver(() => [ImportIssue], { description: 'File-level problems found at check time' })
  problems(@Root() file: ImportFile): ImportFile['problems'] {
    return file.problems;
  }

  @FieldResolver(() => [ColumnProposal], {
    nullable: true,
    description: "For each header cell, in the header's order, the adapter column matched (applied) or proposed (FUZZY) and why; null without a header",
  })
  columnProposals(@Root() file: ImportFile, @Ctx() ctx: GraphQLContext): ColumnProposal[] | null {
    const adapter = ctx.services.registry.get(file.adapter);
    // Without a header, `columns` are the adapter's own, read by position (a skipped header's cells are the file's).
    const header = file.hasHeader || file.problems.some((problem) => problem.code === 'HEADER_SKIPPED');
    if (!adapter || !header) return null;
    return proposeColumns(file.columns, adapter, file.hasHeader ? file.savedMapping?.map : undefined);
  }
}

import { GraphQLUpload, type FileUpload } from 'graphql-upload-minimal';
import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/role';
import { ImportFile } from '../imports/import-file.entity';
import { ImportIssue } from '../imports/import-issue.entity';
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
}

import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ImportIssue } from '../imports/import-issue.entity';
import type { IssueData } from '../imports/issue-data';
import type { GraphQLContext } from './context';

@Resolver(() => ImportIssue)
export class ImportIssueResolver {
  @FieldResolver(() => String, { description: 'In English, or in French with Accept-Language: fr' })
  message(@Root() issue: IssueData, @Ctx() ctx: GraphQLContext): string {
    return ctx.services.reports.message(issue, ctx.lang);
  }
}

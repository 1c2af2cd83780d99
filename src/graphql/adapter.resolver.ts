import { Arg, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/role';
import { defaultDelimiters } from '../pipeline/sniff';
import { Adapter, describeAdapter } from './adapter.type';
import type { GraphQLContext } from './context';

@Resolver(() => Adapter)
export class AdapterResolver {
  private describe(ctx: GraphQLContext) {
    const { imports } = ctx.services;
    return (adapter: Adapter['definition']) =>
      describeAdapter(adapter, ctx.lang, imports.uploadLimit(adapter.name), adapter.format?.delimiters ?? defaultDelimiters);
  }

  @Authorized(Role.VIEWER)
  @Query(() => [Adapter], { description: 'Every loaded adapter' })
  adapters(@Ctx() ctx: GraphQLContext): Adapter[] {
    return ctx.services.registry.list().map(this.describe(ctx));
  }

  @Authorized(Role.VIEWER)
  @Query(() => Adapter, { nullable: true })
  adapter(@Arg('name') name: string, @Ctx() ctx: GraphQLContext): Adapter | null {
    const adapter = ctx.services.registry.get(name);
    return adapter ? this.describe(ctx)(adapter) : null;
  }

  @FieldResolver(() => String, { description: 'An example file to download and fill' })
  exampleCsv(@Root() adapter: Adapter, @Ctx() ctx: GraphQLContext): string {
    return ctx.services.imports.exampleCsv(adapter.definition);
  }
}

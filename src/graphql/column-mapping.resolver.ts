import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/role';
import { SavedColumnMapping } from '../mappings/column-mapping.entity';
import type { GraphQLContext } from './context';

@Resolver(() => SavedColumnMapping)
export class ColumnMappingResolver {
  @Authorized(Role.OPERATOR)
  @Mutation(() => SavedColumnMapping, {
    description: 'Saves a column mapping by name for an adapter (replacing the map of one of that name): an upload whose header has its file columns is read with it',
  })
  saveColumnMapping(
    @Arg('adapter') adapter: string,
    @Arg('name') name: string,
    @Arg('map', () => GraphQLJSON, { description: '{ "file header name": "adapter column" }' }) map: unknown,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SavedColumnMapping> {
    return ctx.services.mappings.save(ctx.services.imports.adapter(adapter), name, map, ctx.principal.tokenId);
  }

  @Authorized(Role.OPERATOR)
  @Query(() => [SavedColumnMapping], { description: 'The saved column mappings, of one adapter or all, by adapter and name' })
  columnMappings(@Arg('adapter', () => String, { nullable: true }) adapter: string | null, @Ctx() ctx: GraphQLContext): Promise<SavedColumnMapping[]> {
    return ctx.services.mappings.list(adapter);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => Boolean, { description: 'False when no saved column mapping has this id' })
  deleteColumnMapping(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return /^\d{1,10}$/.test(id) ? ctx.services.mappings.remove(Number(id)) : Promise.resolve(false);
  }

  @FieldResolver(() => [String], { description: "The file's header names the map reads, as saved" })
  fileColumns(@Root() mapping: SavedColumnMapping): string[] {
    return Object.keys(mapping.map);
  }
}

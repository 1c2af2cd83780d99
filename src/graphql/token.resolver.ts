import { Arg, Authorized, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { Role } from '../auth/role';
import type { GraphQLContext } from './context';

@ObjectType({ description: 'A new token; its secret is shown this once' })
export class CreatedToken {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => Role) role: Role;
  @Field({ description: 'Send it as Authorization: Bearer <token>' }) token: string;
}

@ObjectType({ description: 'A token, without its secret' })
export class TokenInfo {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => Role) role: Role;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
}

@ObjectType({ description: 'Who is calling: the token of the request' })
export class Caller {
  @Field({ description: "The token's name, or ADMIN_TOKEN" }) name: string;
  @Field(() => Role) role: Role;
}

@Resolver()
export class TokenResolver {
  @Authorized(Role.VIEWER)
  @Query(() => Caller, { description: 'The caller: a front-end shows what its role allows' })
  me(@Ctx() ctx: GraphQLContext): Caller {
    return { name: ctx.principal.name, role: ctx.principal.role };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => CreatedToken)
  async createToken(
    @Arg('name') name: string,
    @Arg('role', () => Role) role: Role,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CreatedToken> {
    const { token, secret } = await ctx.services.tokens.create(name.slice(0, 100), role);
    return { id: String(token.id), name: token.name, role: token.role, token: secret };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => Boolean, { description: 'False when no active token has this id' })
  revokeToken(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return /^\d{1,10}$/.test(id) ? ctx.services.tokens.revoke(Number(id)) : Promise.resolve(false);
  }

  @Authorized(Role.ADMIN)
  @Query(() => [TokenInfo], { description: 'Every token, with its last use' })
  async tokens(@Ctx() ctx: GraphQLContext): Promise<TokenInfo[]> {
    const tokens = await ctx.services.tokens.list();
    return tokens.map((t) => ({ ...t, id: String(t.id) }));
  }
}

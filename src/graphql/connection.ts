import type { ClassType } from 'type-graphql';
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Relay page information' })
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

/** A Relay connection type over `Node` (edges, pageInfo, totalCount). */
export function Connection<Node extends object>(NodeClass: ClassType<Node>) {
  @ObjectType(`${NodeClass.name}Edge`)
  class Edge {
    @Field()
    cursor: string;

    @Field(() => NodeClass)
    node: Node;
  }

  @ObjectType()
  abstract class ConnectionType {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int)
    totalCount: number;
  }
  return ConnectionType;
}

export interface Page<Node> {
  edges: Array<{ cursor: string; node: Node }>;
  pageInfo: PageInfo;
  totalCount: number;
}

/** Cursors are opaque to clients: the row id, base64url-encoded. */
export const encodeCursor = (id: number) => Buffer.from(`c:${id}`).toString('base64url');

export function decodeCursor(cursor: string): number | null {
  const match = /^c:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  return match ? Number(match[1]) : null;
}

/** Builds a page from `first + 1` rows fetched after the cursor. */
export function toPage<Node extends { id: number }>(rows: Node[], first: number, totalCount: number): Page<Node> {
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}

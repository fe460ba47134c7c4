import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * What the change feed has seen of a domain's outbox, kept in places' own database: the highest
 * row it read there (id and stamp) and the domain's generation. A domain database restored from
 * a backup loses rows the feed had seen (and partners may have exported the data of); places
 * notices when that row is gone or another, and starts a new generation. A cursor carries the
 * generation it was handed out in and is refused in another (docs/partners.md).
 */
@Entity({ tableName: 'feed_watch' })
export class FeedWatch {
  @PrimaryKey({ type: 'string', length: 20 })
  domain!: string;

  /** '' until a restore of the domain is first noticed; then 8 random characters. */
  @Property({ type: 'string', length: 8 })
  generation!: string;

  @Property({ type: 'integer' })
  highId!: number;

  @Property({ type: 'string', length: 8 })
  highStamp!: string;
}
